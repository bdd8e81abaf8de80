import { describe, expect, it } from 'vitest';
import { RestoreError, RuntimeError, ValidationError } from '../../errors.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { LocalMesh } from '../../mesh/types.js';
import { createLocalProvider } from './local-provider.js';

/** An in-memory stand-in for the local mesh: stores objects by namespace/name and counts changes. */
function fakeMesh(initial: VirtualService[], options: { dropApplies?: boolean; rules?: DestinationRule[] } = {}) {
  const store = new Map(initial.map((vs) => [`${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`, structuredClone(vs)]));
  let rules = structuredClone(options.rules ?? []);
  const key = (o: { metadata: { name: string; namespace?: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  let generation = 1;
  const mesh: LocalMesh = {
    url: 'http://127.0.0.1:1',
    adminUrl: 'http://127.0.0.1:2',
    warnings: [],
    get generation() {
      return generation;
    },
    getVirtualService: (ns, name) => structuredClone(store.get(`${ns}/${name}`)),
    applyVirtualService(vs) {
      if (options.dropApplies) return;
      store.set(`${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`, structuredClone(vs));
      generation++;
    },
    getDestinationRules: () => structuredClone(rules),
    async applyObjects(objects) {
      if (options.dropApplies) return;
      for (const v of objects.virtualServices ?? []) store.set(key(v), structuredClone(v));
      rules = rules.map((r) => structuredClone(objects.destinationRules?.find((n) => key(n) === key(r)) ?? r));
      // One change for both kinds, as the real mesh's one reconfiguration.
      generation++;
    },
    checkConfig: () => [],
    applyConfig: async () => {},
    metricsText: () => '',
    close: async () => {},
  };
  return mesh;
}

const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        name: 'main',
        fault: { delay: { fixedDelay: '1s', percentage: { value: 1 } } },
        route: [{ destination: { host: 'reviews', subset: 'v1' } }],
      },
    ],
  },
};
const dr: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews' },
  spec: { host: 'reviews', subsets: [{ name: 'v1' }, { name: 'v2' }] },
};
const target = { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' };

describe('local provider', () => {
  it('applies from the snapshot, verifies, and restores the exact original', async () => {
    const mesh = fakeMesh([vs]);
    const provider = createLocalProvider({ name: 'local', mesh, target, destinationRules: [dr], plannedStates: [{ canaryWeight: 10 }] });
    await provider.preflight();
    const snap = await provider.snapshot();
    expect(snap.original).toEqual(vs);
    const g0 = mesh.generation;
    for (const w of [10, 50]) {
      const applied = await provider.apply({ canaryWeight: w, mirror: { subset: 'v2', percentage: 5 } });
      await provider.verify({ canaryWeight: w, mirror: { subset: 'v2', percentage: 5 } });
      expect(mesh.getVirtualService('default', 'reviews')).toEqual(applied);
      // Rendered from the snapshot, not the previous step: still exactly one mirror, the user fault intact.
      expect(applied.spec.http![0]!.mirrors).toHaveLength(1);
      expect(applied.spec.http![0]!.fault).toEqual(vs.spec.http![0]!.fault);
    }
    expect(mesh.generation).toBe(g0 + 2);
    await provider.restore(snap);
    expect(mesh.getVirtualService('default', 'reviews')).toEqual(vs);
    // Idempotent: a second restore changes nothing.
    const g1 = mesh.generation;
    await provider.restore(snap);
    expect(mesh.generation).toBe(g1);
    expect(mesh.getVirtualService('default', 'reviews')).toEqual(vs);
  });

  it('fails preflight when the VirtualService is missing', async () => {
    const provider = createLocalProvider({ name: 'local', mesh: fakeMesh([]), target });
    await expect(provider.preflight()).rejects.toBeInstanceOf(RuntimeError);
  });

  it('fails preflight when a subset the states use is not defined', async () => {
    const provider = createLocalProvider({
      name: 'local',
      mesh: fakeMesh([vs]),
      target,
      destinationRules: [dr],
      plannedStates: [{ mirror: { subset: 'v9', percentage: 1 } }],
    });
    const err = await provider.preflight().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]!.message).toContain('"v9"');
  });

  it('fails preflight when a planned state cannot be rendered', async () => {
    const provider = createLocalProvider({
      name: 'local',
      mesh: fakeMesh([vs]),
      target: { ...target, route: 'other' },
      destinationRules: [dr],
      plannedStates: [{ canaryWeight: 5 }],
    });
    await expect(provider.preflight()).rejects.toBeInstanceOf(ValidationError);
  });

  it('fails verify when the mesh did not take the change', async () => {
    const provider = createLocalProvider({ name: 'local', mesh: fakeMesh([vs], { dropApplies: true }), target });
    await provider.snapshot();
    await provider.apply({ canaryWeight: 10 });
    await expect(provider.verify({ canaryWeight: 10 })).rejects.toThrow(/does not serve/);
  });

  it('raises RestoreError when the mesh cannot be put back', async () => {
    const mesh = fakeMesh([vs]);
    const provider = createLocalProvider({ name: 'local', mesh, target });
    const snap = await provider.snapshot();
    await provider.apply({ canaryWeight: 10 });
    mesh.applyVirtualService = () => {
      throw new Error('listener gone');
    };
    const err = await provider.restore(snap).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RestoreError);
    expect((err as RestoreError).message).toContain('listener gone');
    expect((err as RestoreError).hint).toContain('journal.jsonl');
  });

  describe('traffic.policy', () => {
    const rule: DestinationRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews-dr', namespace: 'default', labels: { team: 'a' } },
      spec: { host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } }, subsets: [{ name: 'v1' }, { name: 'v2', trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } } }] },
    };
    const pool = { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } };
    const state = { canaryWeight: 20, policy: { subset: 'v2', connectionPool: pool } };

    it('snapshots the rule, applies VS and rule in one change, verifies both, and restores both exactly', async () => {
      const mesh = fakeMesh([vs], { rules: [rule] });
      const provider = createLocalProvider({ name: 'local', mesh, target, destinationRules: [rule], plannedStates: [state, { canaryWeight: 100 }] });
      await provider.preflight();
      const snap = await provider.snapshot();
      expect(snap.policyOriginal).toEqual(rule);
      const g0 = mesh.generation;
      await provider.apply(state);
      await provider.verify(state);
      expect(mesh.generation).toBe(g0 + 1);
      const served = mesh.getDestinationRules()[0]!;
      expect(served.spec.subsets![1]!.trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 3 }, connectionPool: pool });
      // The user's top-level policy and labels are untouched.
      expect(served.spec.trafficPolicy).toEqual(rule.spec.trafficPolicy);
      expect(served.metadata).toEqual(rule.metadata);
      // A state without a policy (the promotion) renders the rule as it was.
      await provider.apply({ canaryWeight: 100 });
      await provider.verify({ canaryWeight: 100 });
      expect(mesh.getDestinationRules()).toEqual([rule]);
      await provider.apply(state);
      await provider.restore(snap);
      expect(mesh.getDestinationRules()).toEqual([rule]);
      expect(mesh.getVirtualService('default', 'reviews')).toEqual(vs);
    });

    it('takes no rule snapshot and writes no rule when no state has a policy', async () => {
      const mesh = fakeMesh([vs], { rules: [rule] });
      const provider = createLocalProvider({ name: 'local', mesh, target, plannedStates: [{ canaryWeight: 10 }] });
      expect((await provider.snapshot()).policyOriginal).toBeUndefined();
    });

    it('fails verify when the mesh did not take the rule', async () => {
      const mesh = fakeMesh([vs], { rules: [rule] });
      const provider = createLocalProvider({ name: 'local', mesh, target, plannedStates: [state] });
      await provider.snapshot();
      await provider.apply(state);
      mesh.applyObjects = async () => {};
      const other = { ...state, policy: { ...state.policy, connectionPool: { tcp: { maxConnections: 9 } } } };
      await provider.apply(other);
      await expect(provider.verify(other)).rejects.toThrow(/DestinationRule default\/reviews-dr/);
    });

    it('raises RestoreError when the rule does not come back', async () => {
      const mesh = fakeMesh([vs], { rules: [rule] });
      const provider = createLocalProvider({ name: 'local', mesh, target, plannedStates: [state] });
      const snap = await provider.snapshot();
      await provider.apply(state);
      mesh.applyObjects = async (objects) => void mesh.applyVirtualService(objects.virtualServices![0]!);
      await expect(provider.restore(snap)).rejects.toThrow(/served DestinationRule default\/reviews-dr differs/);
    });

    it.each([
      ['a missing subset', { subset: 'v9' }, 'no subset "v9"'],
      ['a missing named rule', { destinationRule: 'nope' }, '"nope" not found'],
    ])('refuses %s in preflight, before any change', async (_what, extra, message) => {
      const mesh = fakeMesh([vs], { rules: [rule] });
      const provider = createLocalProvider({ name: 'local', mesh, target, plannedStates: [{ canaryWeight: 10 }, { policy: { connectionPool: pool, ...extra } }] });
      const g0 = mesh.generation;
      const err = await provider.preflight().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).problems[0]!.message).toContain(message);
      expect((err as ValidationError).hint).toBeTruthy();
      expect(mesh.generation).toBe(g0);
    });

    it('refuses when no rule has the target host', async () => {
      const provider = createLocalProvider({ name: 'local', mesh: fakeMesh([vs], { rules: [] }), target, plannedStates: [state] });
      await expect(provider.preflight()).rejects.toThrow(ValidationError);
    });
  });
});
