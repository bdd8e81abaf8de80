/**
 * The istio provider against a real kube-apiserver (localkube) carrying Istio's real CRDs, whose
 * OpenAPI schema and CEL rules judge every patch as a cluster would. Every change goes through
 * the provider's JSON patches; the "user" edits the object meanwhile with the admin credentials.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RestoreError, RuntimeError, TargetBusyError } from '../../../src/errors.js';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { ConcurrentChangeError, createIstioProvider, type IstioProviderOptions } from '../../../src/traffic/istio/istio-provider.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import type { TrafficState } from '../../../src/traffic/types.js';
import { recreate, restoreRidesOutRestart, toVirtualService } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const NS = 'storefront';
const fixture = parse(readFileSync(path.join(repoRoot, 'test/fixtures/kube-istio/reviews-vs.yaml'), 'utf8')) as KubeObject;
const bookinfoRule = parse(readFileSync(path.join(repoRoot, 'test/fixtures/bookinfo/destination-rule-reviews.yaml'), 'utf8')) as KubeObject;
const target = { namespace: NS, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v3' };
const OWNER = '/runs/test/journal.jsonl';

const weightsOf = (obj: KubeObject, routeName = 'primary') => {
  const http = (obj.spec as { http: { name?: string; route: { destination: { subset: string }; weight?: number }[] }[] }).http;
  const route = http.find((r) => r.name === routeName);
  return Object.fromEntries((route?.route ?? []).map((d) => [d.destination.subset, d.weight ?? 0]));
};
const routeNames = (obj: KubeObject) => (obj.spec as { http: { name?: string }[] }).http.map((r) => r.name ?? '?');

describe.skipIf(!localKubeAvailable('the istio provider tests'))('istio provider against a real kube-apiserver', () => {
  let kube: LocalKube;
  let admin: CustomObjects;

  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    await admin.create(DESTINATION_RULE, NS, { ...bookinfoRule, metadata: { ...bookinfoRule.metadata, namespace: NS } });
  }, 120_000);
  afterAll(async () => kube?.dispose());

  // Each test starts from the user's object exactly as in the fixture.
  let original: KubeObject;
  beforeEach(async () => {
    original = await recreate(admin, VIRTUAL_SERVICE, NS, fixture);
  });

  const provider = (over: Partial<IstioProviderOptions> = {}) =>
    createIstioProvider({ name: 'istio', objects: admin, target, retry: { budgetMs: 60_000, maxDelayMs: 1_000 }, ...over });
  const live = async () => (await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!;
  const expectRestored = async () => {
    const now = await live();
    expect(toVirtualService(now)).toEqual(toVirtualService(original));
    // And not only the user-visible part: nothing else was left on the object either.
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);
    expect(now.metadata.labels).toEqual(original.metadata.labels);
  };

  it('shifts weights step by step with JSON patches and restores the object exactly', async () => {
    const steps: TrafficState[] = [{ canaryWeight: 10 }, { canaryWeight: 50 }, { canaryWeight: 100 }];
    const p = provider({ plannedStates: steps });
    await p.preflight();
    const snap = await p.snapshot();
    await p.claim!(OWNER);
    expect((await live()).metadata.annotations).toMatchObject({ [OWNER_ANNOTATION]: OWNER });
    for (const step of steps) {
      await p.apply(step);
      await p.verify(step);
      expect(weightsOf(await live())).toEqual({ v1: 100 - step.canaryWeight!, v3: step.canaryWeight });
    }
    // The user's own route (and its fault) was never part of a patch.
    expect((await live()).spec as { http: unknown[] }).toHaveProperty(['http', 0], (fixture.spec as { http: unknown[] }).http[0]);
    await p.restore({ ...snap, owner: OWNER });
    await expectRestored();
    expect(await p.checkRestored!(snap)).toBeUndefined();
  });

  it('inserts a header-scoped fault, a mirror and an A/B route the CRD accepts, then removes them', async () => {
    const states: TrafficState[] = [
      { fault: { delayMs: 250, delayPercent: 50, match: [{ headers: { 'x-chaos': { exact: 'on' } } }] } },
      { canaryWeight: 20, mirror: { subset: 'v2', percentage: 30 } },
      { abMatch: [{ headers: { 'x-canary': { exact: 'yes' } } }] },
      { fault: { abortStatus: 503, abortPercent: 10 } },
    ];
    const p = provider({ plannedStates: states });
    await p.preflight(); // server-side dry run of each against Istio's CEL rules
    const snap = await p.snapshot();
    await p.claim!(OWNER);

    await p.apply(states[0]!);
    let now = await live();
    expect(routeNames(now)).toEqual(['testers', 'mesh-exp-fault', 'primary']);
    const faultRoute = (now.spec as { http: Record<string, unknown>[] }).http[1]!;
    expect(faultRoute).toMatchObject({ match: [{ headers: { 'x-chaos': { exact: 'on' } } }], fault: { delay: { fixedDelay: '0.25s', percentage: { value: 50 } } } });

    await p.apply(states[1]!);
    now = await live();
    expect(routeNames(now)).toEqual(['testers', 'primary']);
    expect((now.spec as { http: Record<string, unknown>[] }).http[1]).toMatchObject({ mirrors: [{ destination: { host: 'reviews', subset: 'v2' }, percentage: { value: 30 } }] });
    expect(weightsOf(now)).toEqual({ v1: 80, v3: 20 });

    await p.apply(states[2]!);
    expect(routeNames(await live())).toEqual(['testers', 'mesh-exp-ab', 'primary']);

    await p.apply(states[3]!);
    now = await live();
    expect(routeNames(now)).toEqual(['testers', 'primary']);
    expect((now.spec as { http: Record<string, unknown>[] }).http[1]).toMatchObject({ fault: { abort: { httpStatus: 503, percentage: { value: 10 } } } });

    await p.restore({ ...snap, owner: OWNER });
    await expectRestored();
  });

  it('keeps what the user changes outside the managed routes during the run', async () => {
    const p = provider({ plannedStates: [{ canaryWeight: 30 }] });
    const snap = await p.snapshot();
    await p.claim!(OWNER);
    await p.apply({ canaryWeight: 30 });
    // The user tunes their own fault and adds a label mid-run, with a JSON patch of their own.
    await admin.patch(VIRTUAL_SERVICE, NS, 'reviews', [
      { op: 'replace', path: '/spec/http/0/fault/abort/percentage/value', value: 7 },
      { op: 'add', path: '/metadata/labels/tier', value: 'gold' },
    ]);
    await p.apply({ canaryWeight: 60 });
    await p.restore({ ...snap, owner: OWNER });
    const now = await live();
    expect(weightsOf(now)).toEqual({ v1: 100, v3: 0 });
    expect((now.spec as { http: { fault?: { abort?: { percentage?: { value?: number } } } }[] }).http[0]!.fault!.abort!.percentage!.value).toBe(7);
    expect(now.metadata.labels).toEqual({ ...original.metadata.labels, tier: 'gold' });
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);
    expect(await p.checkRestored!(snap)).toBeUndefined();
  });

  it('re-reads and re-applies when the API server answers 409 Conflict', async () => {
    const attempts: number[] = [];
    const p = provider({
      beforePatch: async (attempt) => {
        attempts.push(attempt);
        // Another writer changes the object between our read and our patch, once.
        if (attempt === 1) await admin.patch(VIRTUAL_SERVICE, NS, 'reviews', [{ op: 'add', path: '/metadata/annotations/other.example~1touched', value: 'yes' }]);
      },
    });
    const snap = await p.snapshot();
    await p.claim!(OWNER); // carries a resourceVersion precondition
    expect(attempts).toEqual([1, 2]);
    const now = await live();
    expect(now.metadata.annotations).toMatchObject({ [OWNER_ANNOTATION]: OWNER, 'other.example/touched': 'yes' });
    await p.restore({ ...snap, owner: OWNER });
    expect((await live()).metadata.annotations).toEqual({ ...original.metadata.annotations, 'other.example/touched': 'yes' });
  });

  it('detects a manual edit of the managed route mid-run, overwrites nothing and refuses to restore over it', async () => {
    const p = provider({
      plannedStates: [{ canaryWeight: 10 }, { canaryWeight: 50 }],
      beforePatch: async (attempt) => {
        if (attempt !== 1 || !editNext) return;
        editNext = false;
        // An operator moves the weights by hand after our read: the patch's `test` ops fail.
        await admin.patch(VIRTUAL_SERVICE, NS, 'reviews', [{ op: 'replace', path: '/spec/http/1/route/0/weight', value: 95 }, { op: 'replace', path: '/spec/http/1/route/1/weight', value: 5 }]);
      },
    });
    let editNext = false;
    const snap = await p.snapshot();
    await p.claim!(OWNER);
    await p.apply({ canaryWeight: 10 });
    editNext = true;
    const err = await p.apply({ canaryWeight: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrentChangeError);
    expect((err as Error).message).toMatch(/changed by someone else/);
    expect((err as ConcurrentChangeError).hint).toMatch(/v1:95,v3:5/);
    expect(weightsOf(await live())).toEqual({ v1: 95, v3: 5 });
    const restoreErr = await p.restore({ ...snap, owner: OWNER }).catch((e: unknown) => e);
    expect(restoreErr).toBeInstanceOf(RestoreError);
    expect(weightsOf(await live())).toEqual({ v1: 95, v3: 5 });
  });

  it('refuses a VirtualService another run has claimed', async () => {
    const first = provider();
    await first.snapshot();
    await first.claim!('/runs/other/journal.jsonl');
    const second = provider();
    await expect(second.preflight()).rejects.toThrow(/another run|claimed|mesh-exp\.dev\/journal/);
    await expect(second.snapshot()).rejects.toBeInstanceOf(TargetBusyError);
  });

  it('reports what Istio\'s CEL rules reject: at preflight (dry run, nothing changed) and at apply', async () => {
    const bad: TrafficState = { fault: { delayMs: 0.5 } }; // "0.0005s": Istio requires >= 1ms
    const p = provider({ plannedStates: [{ canaryWeight: 10 }, bad] });
    const err = await p.preflight().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/Istio would reject the step "fault delay 0.5ms on 100%"/);
    expect((err as Error).message).toMatch(/must be a valid duration greater than 1ms/);
    await expectRestored();

    const q = provider();
    await q.snapshot();
    const applyErr = await q.apply(bad).catch((e: unknown) => e);
    expect(applyErr).toBeInstanceOf(KubeApiError);
    expect((applyErr as KubeApiError).status).toBe(422);
    expect((applyErr as Error).message).toMatch(/fixedDelay.*must be a valid duration greater than 1ms/);
    await expectRestored();
  });

  it('rides out an API server restart mid-run: the restore backs off, then completes', async () => {
    await restoreRidesOutRestart(kube, provider({ plannedStates: [{ canaryWeight: 40 }] }), OWNER, { canaryWeight: 40 }, expectRestored);
  }, 120_000);
});
