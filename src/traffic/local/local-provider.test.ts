import { describe, expect, it } from 'vitest';
import { RestoreError, RuntimeError, ValidationError } from '../../errors.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { LocalMesh } from '../../mesh/types.js';
import { createLocalProvider } from './local-provider.js';

/** An in-memory stand-in for the local mesh: stores objects by namespace/name and counts changes. */
function fakeMesh(initial: VirtualService[], options: { dropApplies?: boolean } = {}) {
  const store = new Map(initial.map((vs) => [`${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`, structuredClone(vs)]));
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
});
