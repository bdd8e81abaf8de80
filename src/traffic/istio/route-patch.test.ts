import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { VirtualService } from '../../istio/types.js';
import { renderVirtualService } from '../render.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';
import { planPatches } from '../plan-patches.js';
import { addAnnotationOps, locateRegion, pointerToken, regionPatch, removeAnnotationOps } from '../region-patch.js';
import { regionOf } from './route-patch.js';

const target: TargetRef = { host: 'reviews', stable: 'v1', canary: 'v2' };

/** A user's VirtualService: a route before the target, the target with the user's own fault, a route after. */
function userVs(): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'default', labels: { team: 'books' } },
    spec: {
      hosts: ['reviews'],
      http: [
        { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
        { name: 'main', fault: { abort: { httpStatus: 503, percentage: { value: 0.1 } } }, route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
        { name: 'tail', route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
      ],
    },
  };
}

/** Applies RFC 6902 ops as the API server does (a failed test throws, nothing is half-applied). */
function apply(doc: VirtualService, ops: ReturnType<typeof regionPatch>): VirtualService {
  return jsonpatch.applyPatch(structuredClone(doc), ops as jsonpatch.Operation[], true, false).newDocument;
}

const states: TrafficState[] = [
  { canaryWeight: 10 },
  { canaryWeight: 50, fault: { delayMs: 80, delayPercent: 50, match: [{ headers: { 'x-test': { exact: '1' } } }] } },
  { canaryWeight: 50, abMatch: [{ headers: { 'end-user': { exact: 'ann' } } }], mirror: { subset: 'v2', percentage: 20 } },
  { fault: { abortStatus: 500, abortPercent: 5 } },
  {},
];

describe('regionOf / regionPatch', () => {
  it('turns any state into any other exactly as rendering from the original does', () => {
    const original = userVs();
    for (const from of states) {
      for (const to of states) {
        const live = renderVirtualService(original, target, from);
        const a = regionOf(original, target, from);
        const [at, ...more] = locateRegion(live.spec.http ?? [], a.items);
        expect(more).toEqual([]);
        const out = apply(live, regionPatch(at!, a.items, regionOf(original, target, to).items, '/spec/http'));
        expect(out).toEqual(renderVirtualService(original, target, to));
      }
    }
  });

  it('keeps edits made elsewhere in the object by someone else, and the user\'s own fault', () => {
    const original = userVs();
    const live = renderVirtualService(original, target, states[1]!);
    // Someone inserts a route at the top and edits the last one while the run is at step 2.
    live.spec.http!.unshift({ name: 'hotfix', route: [{ destination: { host: 'reviews', subset: 'v3' } }] });
    live.spec.http!.at(-1)!.timeout = '3s';
    const from = regionOf(original, target, states[1]!);
    const [at] = locateRegion(live.spec.http ?? [], from.items);
    const back = apply(live, regionPatch(at!, from.items, regionOf(original, target, {}).items, '/spec/http'));
    expect(back.spec.http!.map((r) => r.name)).toEqual(['hotfix', 'jason', 'main', 'tail']);
    expect(back.spec.http![2]).toEqual(original.spec.http![1]);
    expect(back.spec.http![3]!.timeout).toBe('3s');
  });

  it('refuses (a failing test op) when a managed route was edited concurrently', () => {
    const original = userVs();
    const live = renderVirtualService(original, target, { canaryWeight: 10 });
    const from = regionOf(original, target, { canaryWeight: 10 });
    const ops = regionPatch(1, from.items, regionOf(original, target, { canaryWeight: 50 }).items, '/spec/http');
    live.spec.http![1]!.route![0]!.weight = 77;
    expect(() => apply(live, ops)).toThrow(/test/i);
    expect(locateRegion(live.spec.http ?? [], from.items)).toEqual([]);
  });

  it('sends nothing when the state does not change the region', () => {
    const original = userVs();
    const r = regionOf(original, target, { canaryWeight: 20 });
    expect(regionPatch(1, r.items, r.items, '/spec/http')).toEqual([]);
  });
});

describe('annotation ops', () => {
  it('adds the map when absent, one key when present, and removes the map it created', () => {
    const vs = userVs();
    const marked = apply(vs, addAnnotationOps(vs, 'mesh-exp.dev/journal', '/r/journal.jsonl'));
    expect(marked.metadata.annotations).toEqual({ 'mesh-exp.dev/journal': '/r/journal.jsonl' });
    expect(apply(marked, removeAnnotationOps(marked, 'mesh-exp.dev/journal'))).toEqual(vs);
    const own = { ...vs, metadata: { ...vs.metadata, annotations: { owner: 'me' } } };
    const both = apply(own, addAnnotationOps(own, 'mesh-exp.dev/journal', 'x'));
    expect(both.metadata.annotations).toEqual({ owner: 'me', 'mesh-exp.dev/journal': 'x' });
    expect(apply(both, removeAnnotationOps(both, 'mesh-exp.dev/journal'))).toEqual(own);
    expect(pointerToken('a/b~c')).toBe('a~1b~0c');
  });
});

describe('planPatches', () => {
  it('chains step patches and ends with a restore that gives back the original', () => {
    const original = userVs();
    const steps = [{ canaryWeight: 10 }, { canaryWeight: 50 }];
    const plan = planPatches((s) => regionOf(original, target, s), '/spec/http', steps, { canaryWeight: 100 });
    let doc = original;
    for (const ops of plan.steps) doc = apply(doc, ops);
    expect(doc).toEqual(renderVirtualService(original, target, steps[1]!));
    expect(apply(doc, plan.restore)).toEqual(original);
    expect(apply(doc, plan.promotion!)).toEqual(renderVirtualService(original, target, { canaryWeight: 100 }));
  });
});
