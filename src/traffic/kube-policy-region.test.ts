import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { RestoreError, TargetBusyError, ValidationError } from '../errors.js';
import type { DestinationRule } from '../istio/types.js';
import { type CustomObjects, DESTINATION_RULE, type JsonPatchOp, type KubeObject, type ResourceType, VIRTUAL_SERVICE } from '../kube/custom-objects.js';
import { KubeApiError } from '../kube/kube-error.js';
import { createIstioProvider } from './istio/istio-provider.js';
import { ConcurrentChangeError } from './kube-patch-loop.js';
import { createPolicyRegion } from './kube-policy-region.js';
import { OWNER_ANNOTATION } from './ownership.js';
import { valuePatch } from './region-patch.js';
import type { TrafficState } from './types.js';

const NS = 'shop';
const OWNER = '/runs/a/journal.jsonl';

/**
 * An in-memory API server for custom objects as far as the providers use it: JSON patches applied
 * atomically, a failed `test` a bare 422, a stale resourceVersion precondition a 409, dry runs not stored.
 */
function fakeServer(initial: KubeObject[]) {
  const store = new Map<string, KubeObject>();
  const key = (type: ResourceType, name: string) => `${type.plural}/${name}`;
  let rv = 1;
  for (const o of initial) store.set(key(o.kind === 'DestinationRule' ? DESTINATION_RULE : VIRTUAL_SERVICE, o.metadata.name), { ...structuredClone(o), metadata: { ...structuredClone(o.metadata), namespace: NS, resourceVersion: String(rv++) } });
  const requests: string[] = [];
  const objects: CustomObjects = {
    server: 'https://fake',
    get: async (type, _ns, name) => (requests.push(`get ${type.plural}`), structuredClone(store.get(key(type, name)))),
    list: async (type) => (requests.push(`list ${type.plural}`), [...store.entries()].filter(([k]) => k.startsWith(`${type.plural}/`)).map(([, o]) => structuredClone(o))),
    async patch(type, namespace, name, ops, options) {
      requests.push(`${options?.dryRun ? 'dry-run ' : ''}patch ${type.plural}`);
      const request = { verb: 'patch', resource: `${type.plural}.${type.group}`, namespace, name };
      const current = store.get(key(type, name))!;
      const pre = ops.find((op) => op.op === 'replace' && op.path === '/metadata/resourceVersion') as { value: string } | undefined;
      if (pre && pre.value !== current.metadata.resourceVersion) throw new KubeApiError('conflict', { status: 409, reason: 'Conflict', request });
      let next: KubeObject;
      try {
        // The values are copied, as a server that stores what it was sent does: nothing is shared with the caller.
        next = jsonpatch.applyPatch(structuredClone(current), structuredClone(ops) as jsonpatch.Operation[], true, false).newDocument;
      } catch {
        throw new KubeApiError('the server rejected our request due to an error in our request', { status: 422, reason: 'Invalid', request });
      }
      next.metadata.resourceVersion = String(rv++);
      if (!options?.dryRun) store.set(key(type, name), next);
      return structuredClone(next);
    },
    create: async () => Promise.reject(new Error('unused')),
    delete: async () => Promise.reject(new Error('unused')),
    servedVersions: async () => ['v1'],
    served: async () => true,
  };
  /** Someone else's edit, straight into the store (a new resourceVersion). */
  const edit = (type: ResourceType, name: string, change: (o: KubeObject) => void) => {
    const o = store.get(key(type, name))!;
    change(o);
    o.metadata.resourceVersion = String(rv++);
  };
  const rule = (name = 'reviews') => store.get(key(DESTINATION_RULE, name))!;
  return { objects, edit, rule, requests };
}

const userRule = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', labels: { team: 'books' } },
  spec: {
    host: 'reviews',
    trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
    subsets: [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 7 } } },
    ],
  },
});
const userVs = (): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews' },
  spec: { hosts: ['reviews'], http: [{ name: 'main', route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 0 }] }] },
});
const pool = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } };
const state: TrafficState = { canaryWeight: 10, policy: { subset: 'v2', ...pool } };
const subsetOf = (o: KubeObject, name: string) => (o.spec as DestinationRule['spec']).subsets!.find((s) => s.name === name)!;
const region = (server: ReturnType<typeof fakeServer>, planned: TrafficState[] = [state]) =>
  createPolicyRegion({ namespace: NS, client: async () => server.objects, host: 'reviews', planned, canary: 'v2' });

describe('valuePatch', () => {
  it('tests the old value, then replaces, adds (resourceVersion precondition) or removes; nothing when equal', () => {
    const g: JsonPatchOp = { op: 'test', path: '/spec/subsets/1/name', value: 'v2' };
    expect(valuePatch('/p', { a: 1 }, { a: 1 }, '5')).toEqual([]);
    expect(valuePatch('/p', { a: 1 }, { a: 2 }, '5', [g])).toEqual([g, { op: 'test', path: '/p', value: { a: 1 } }, { op: 'replace', path: '/p', value: { a: 2 } }]);
    expect(valuePatch('/p', undefined, { a: 2 }, '5')).toEqual([{ op: 'replace', path: '/metadata/resourceVersion', value: '5' }, { op: 'add', path: '/p', value: { a: 2 } }]);
    expect(valuePatch('/p', { a: 1 }, undefined, '5')).toEqual([{ op: 'test', path: '/p', value: { a: 1 } }, { op: 'remove', path: '/p' }]);
  });
});

describe('the DestinationRule region of traffic.policy', () => {
  it('applies the policy to the subset only, keeps others\' edits elsewhere in the rule, and restores the region exactly', async () => {
    const server = fakeServer([userRule()]);
    const p = region(server);
    const original = await p.snapshot();
    await p.claim(OWNER);
    expect(server.rule().metadata.annotations?.[OWNER_ANNOTATION]).toBe(OWNER);
    await p.apply(state);
    await p.verify(state);
    // Each setting replaces that field whole; the subset's own outlierDetection stays.
    expect(subsetOf(server.rule(), 'v2').trafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 7 }, ...pool });
    // Someone inserts a subset before v2 and edits the top-level policy during the run.
    server.edit(DESTINATION_RULE, 'reviews', (o) => {
      const spec = o.spec as DestinationRule['spec'];
      spec.subsets!.unshift({ name: 'v3', labels: { version: 'v3' } });
      spec.trafficPolicy = { loadBalancer: { simple: 'LEAST_REQUEST' } };
    });
    await p.restore(original, OWNER);
    expect(await p.checkRestored(original, OWNER)).toBeUndefined();
    const after = server.rule();
    expect(subsetOf(after, 'v2')).toEqual((userRule().spec as DestinationRule['spec']).subsets![1]);
    expect((after.spec as DestinationRule['spec']).trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' } });
    expect(after.metadata.annotations).toBeUndefined();
    // Idempotent: a second restore sends nothing.
    const before = server.requests.filter((r) => r.startsWith('patch')).length;
    await p.restore(original, OWNER);
    expect(server.requests.filter((r) => r.startsWith('patch')).length).toBe(before);
  });

  it('a subset inserted between the read and the patch makes the server refuse it (the name test); read again, it lands at the new index', async () => {
    const server = fakeServer([userRule()]);
    let raced = false;
    const p = createPolicyRegion({
      namespace: NS,
      client: async () => server.objects,
      host: 'reviews',
      planned: [state],
      canary: 'v2',
      beforePatch: async () => {
        if (raced) return;
        raced = true;
        server.edit(DESTINATION_RULE, 'reviews', (o) => void (o.spec as DestinationRule['spec']).subsets!.unshift({ name: 'v0', labels: { version: 'v0' } }));
      },
    });
    await p.snapshot();
    await p.apply(state);
    const subsets = (server.rule().spec as DestinationRule['spec']).subsets!;
    expect(subsets.map((s) => s.name)).toEqual(['v0', 'v1', 'v2']);
    expect(subsets[2]!.trafficPolicy).toMatchObject(pool);
    expect(subsets[1]!.trafficPolicy).toBeUndefined();
    expect(server.requests.filter((r) => r === 'patch destinationrules')).toHaveLength(2);
  });

  it('adds a trafficPolicy the subset lacks and removes it again on restore', async () => {
    const server = fakeServer([userRule()]);
    const p = region(server, [{ policy: { subset: 'v1', ...pool } }]);
    const original = await p.snapshot();
    await p.claim(OWNER);
    await p.apply({ policy: { subset: 'v1', ...pool } });
    expect(subsetOf(server.rule(), 'v1').trafficPolicy).toEqual(pool);
    await p.restore(original, OWNER);
    expect(server.rule().spec).toEqual(userRule().spec);
  });

  it('never overwrites a concurrent edit of the managed trafficPolicy: apply and restore refuse', async () => {
    const server = fakeServer([userRule()]);
    const p = region(server);
    const original = await p.snapshot();
    await p.claim(OWNER);
    await p.apply(state);
    server.edit(DESTINATION_RULE, 'reviews', (o) => void (subsetOf(o, 'v2').trafficPolicy = { connectionPool: { tcp: { maxConnections: 99 } } }));
    await expect(p.apply({ policy: { subset: 'v2', connectionPool: { tcp: { maxConnections: 2 } } } })).rejects.toThrow(ConcurrentChangeError);
    await expect(p.restore(original, OWNER)).rejects.toThrow(/changed by someone else/);
    expect(subsetOf(server.rule(), 'v2').trafficPolicy).toEqual({ connectionPool: { tcp: { maxConnections: 99 } } });
  });

  it('refuses a rule another run holds at snapshot, and a claim that lost the race', async () => {
    const held = fakeServer([{ ...userRule(), metadata: { name: 'reviews', annotations: { [OWNER_ANNOTATION]: '/runs/b/journal.jsonl' } } }]);
    await expect(region(held).snapshot()).rejects.toThrow(TargetBusyError);
    const server = fakeServer([userRule()]);
    const p = region(server);
    await p.snapshot();
    server.edit(DESTINATION_RULE, 'reviews', (o) => void (o.metadata.annotations = { [OWNER_ANNOTATION]: '/runs/b/journal.jsonl' }));
    await expect(p.claim(OWNER)).rejects.toThrow(TargetBusyError);
  });

  it('a restore of another run\'s rule is refused; one already restored (no mark, original region) is a no-op', async () => {
    const server = fakeServer([userRule()]);
    const p = region(server);
    const original = await p.snapshot();
    await p.restore(original, OWNER);
    server.edit(DESTINATION_RULE, 'reviews', (o) => void (o.metadata.annotations = { [OWNER_ANNOTATION]: '/runs/b/journal.jsonl' }));
    await expect(p.restore(original, OWNER)).rejects.toThrow(RestoreError);
  });

  it('preflight finds the rule by host, refuses a missing subset or rule with hints, and dry-runs the patch', async () => {
    const server = fakeServer([userRule()]);
    await region(server).preflight(server.objects);
    expect(server.requests).toContain('dry-run patch destinationrules');
    expect(server.rule().metadata.resourceVersion).toBe('1');
    const missing = await region(server, [{ policy: { subset: 'v9', ...pool } }]).preflight(server.objects).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).hint).toMatch(/subsets: v1, v2/);
    const named = await region(server, [{ policy: { destinationRule: 'ratings', ...pool } }]).preflight(server.objects).catch((e: unknown) => e);
    expect((named as ValidationError).hint).toMatch(/reviews \(host reviews\)/);
  });

  it('releases a promoted run\'s mark without a snapshot (recover), finding the rule from the journaled policy', async () => {
    const server = fakeServer([{ ...userRule(), metadata: { name: 'reviews', annotations: { [OWNER_ANNOTATION]: OWNER } } }]);
    expect(await region(server).release('/runs/other/journal.jsonl')).toBe(false);
    expect(await region(server).release(OWNER)).toBe(true);
    expect(server.rule().metadata.annotations).toBeUndefined();
    expect(server.rule().spec).toEqual(userRule().spec);
  });

  it('does nothing at all without a policy', async () => {
    const server = fakeServer([userRule()]);
    const p = region(server, [{ canaryWeight: 10 }]);
    await p.preflight(server.objects);
    expect(await p.snapshot()).toBeUndefined();
    await p.claim(OWNER);
    await p.apply({ canaryWeight: 10 });
    expect(server.requests).toEqual([]);
  });
});

describe('the istio provider with traffic.policy', () => {
  it('snapshots the rule beside the VirtualService; a claim refused on the rule leaves no mark on the VirtualService', async () => {
    const server = fakeServer([userVs(), userRule()]);
    const provider = createIstioProvider({ name: 'istio', objects: server.objects, target: { namespace: NS, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, plannedStates: [state] });
    const snap = await provider.snapshot();
    expect(snap.policyOriginal?.metadata.name).toBe('reviews');
    server.edit(DESTINATION_RULE, 'reviews', (o) => void (o.metadata.annotations = { [OWNER_ANNOTATION]: '/runs/b/journal.jsonl' }));
    await expect(provider.claim!(OWNER)).rejects.toThrow(TargetBusyError);
    expect((await server.objects.get(VIRTUAL_SERVICE, NS, 'reviews'))!.metadata.annotations).toBeUndefined();
  });

  it('restores the rule even when the VirtualService was changed by someone else (and says so)', async () => {
    const server = fakeServer([userVs(), userRule()]);
    const provider = createIstioProvider({ name: 'istio', objects: server.objects, target: { namespace: NS, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, plannedStates: [state] });
    const snap = { ...(await provider.snapshot()), owner: OWNER };
    await provider.claim!(OWNER);
    await provider.apply(state);
    server.edit(VIRTUAL_SERVICE, 'reviews', (o) => void ((o.spec as { http: { route: { weight: number }[] }[] }).http[0]!.route[0]!.weight = 77));
    await expect(provider.restore(snap)).rejects.toThrow(RestoreError);
    expect(server.rule().spec).toEqual(userRule().spec);
    expect(server.rule().metadata.annotations).toBeUndefined();
  });

  it('runs a step and restores both objects; a release removes both marks', async () => {
    const server = fakeServer([userVs(), userRule()]);
    const provider = createIstioProvider({ name: 'istio', objects: server.objects, target: { namespace: NS, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, plannedStates: [state] });
    await provider.preflight();
    const snap = { ...(await provider.snapshot()), owner: OWNER };
    await provider.claim!(OWNER);
    await provider.apply(state);
    await provider.verify(state);
    expect(subsetOf(server.rule(), 'v2').trafficPolicy).toMatchObject(pool);
    await provider.restore(snap);
    expect(await provider.checkRestored!(snap)).toBeUndefined();
    expect(server.rule().spec).toEqual(userRule().spec);
    await provider.claim!(OWNER);
    expect(await provider.release!(OWNER)).toBe(true);
    expect(server.rule().metadata.annotations).toBeUndefined();
  });
});
