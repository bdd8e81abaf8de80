/**
 * The gateway-api provider against a real kube-apiserver (localkube) carrying the Gateway API's
 * real HTTPRoute CRD (v1.6.3, standard channel), whose schema defaults and CEL rules judge every
 * patch as a cluster would. The "user" edits the object meanwhile with the admin credentials.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RuntimeError, TargetBusyError } from '../../../src/errors.js';
import { createCustomObjects, type CustomObjects, HTTP_ROUTE, type KubeObject } from '../../../src/kube/custom-objects.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { createGatewayApiProvider, type GatewayApiProviderOptions } from '../../../src/traffic/gateway-api/gateway-api-provider.js';
import type { HTTPRouteObject } from '../../../src/traffic/gateway-api/types.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { ConcurrentChangeError } from '../../../src/traffic/kube-region-provider.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { httpRouteTargetOf } from '../../../src/traffic/target-object.js';
import type { TrafficState } from '../../../src/traffic/types.js';
import { recreate, restoreRidesOutRestart } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const NS = 'storefront';
const fixture = parse(readFileSync(path.join(repoRoot, 'test/fixtures/kube-gateway/reviews-httproute.yaml'), 'utf8')) as KubeObject;
// As an experiment names it: versions v1/v2 of host reviews, Services by the <host>-<version> default.
const target = httpRouteTargetOf({ namespace: NS, httpRoute: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' });
const OWNER = '/runs/test/journal.jsonl';

type Rule = { name?: string; matches?: unknown[]; filters?: Record<string, unknown>[]; backendRefs?: { name: string; weight?: number }[] };
const rulesOf = (obj: KubeObject) => (obj.spec as { rules: Rule[] }).rules;
const ruleNames = (obj: KubeObject) => rulesOf(obj).map((r) => r.name ?? '?');
const weightsOf = (obj: KubeObject, rule = 'primary') =>
  Object.fromEntries((rulesOf(obj).find((r) => r.name === rule)?.backendRefs ?? []).map((b) => [b.name, b.weight]));

describe.skipIf(!localKubeAvailable('the gateway-api provider tests', 'istio+gateway'))('gateway-api provider against a real kube-apiserver', () => {
  let kube: LocalKube;
  let admin: CustomObjects;

  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio+gateway', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
  }, 120_000);
  afterAll(async () => kube?.dispose());

  // Each test starts from the user's object exactly as in the fixture (as the server stored it, defaults filled in).
  let original: KubeObject;
  beforeEach(async () => {
    original = await recreate(admin, HTTP_ROUTE, NS, fixture);
  });

  const provider = (over: Partial<GatewayApiProviderOptions> = {}) =>
    createGatewayApiProvider({ name: 'gateway-api', objects: admin, target, retry: { budgetMs: 60_000, maxDelayMs: 1_000 }, ...over });
  const live = async () => (await admin.get(HTTP_ROUTE, NS, 'reviews'))!;
  const owned = (o: KubeObject) => userOwned<HTTPRouteObject>(o, HTTP_ROUTE);
  const expectRestored = async () => {
    const now = await live();
    expect(owned(now)).toEqual(owned(original));
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);
    expect(now.metadata.labels).toEqual(original.metadata.labels);
  };

  it('the server stores the defaults the provider compares against (weight 1, group, kind, path match)', () => {
    const primary = rulesOf(original).find((r) => r.name === 'primary')!;
    expect(primary.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    expect(primary.backendRefs![0]).toMatchObject({ name: 'reviews-v1', weight: 1, group: '', kind: 'Service' });
  });

  it('shifts the backendRefs weights step by step and restores the object exactly', async () => {
    const steps: TrafficState[] = [{ canaryWeight: 10 }, { canaryWeight: 50 }, { canaryWeight: 100 }];
    const p = provider({ plannedStates: steps });
    await p.preflight(); // server-side dry run of every step against the CRD
    const snap = await p.snapshot();
    expect(snap.original.kind).toBe('HTTPRoute');
    await p.claim!(OWNER);
    expect((await live()).metadata.annotations).toMatchObject({ [OWNER_ANNOTATION]: OWNER });
    for (const step of steps) {
      await p.apply(step);
      await p.verify(step);
      expect(weightsOf(await live())).toEqual({ 'reviews-v1': 100 - step.canaryWeight!, 'reviews-v2': step.canaryWeight });
    }
    // The user's own rule (and its filter) was never part of a patch.
    expect(rulesOf(await live())[0]).toEqual(rulesOf(original)[0]);
    await p.restore({ ...snap, owner: OWNER });
    await expectRestored();
    expect(await p.checkRestored!(snap)).toBeUndefined();
  });

  it('adds a RequestMirror filter and an A/B rule the CRD accepts, then removes them', async () => {
    const states: TrafficState[] = [
      { canaryWeight: 20, mirror: { subset: 'v2', percentage: 30 } },
      { canaryWeight: 20, mirror: { subset: 'v2', percentage: 12.5 } },
      { abMatch: [{ headers: { 'x-canary': { exact: 'yes' } } }] },
    ];
    const p = provider({ plannedStates: states });
    await p.preflight();
    const snap = await p.snapshot();
    await p.claim!(OWNER);

    await p.apply(states[0]!);
    let now = await live();
    expect(ruleNames(now)).toEqual(['testers', 'primary']);
    expect(rulesOf(now)[1]!.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: 'reviews-v2', port: 9080 }, percent: 30 } }]);
    expect(weightsOf(now)).toEqual({ 'reviews-v1': 80, 'reviews-v2': 20 });

    await p.apply(states[1]!); // a fractional share is written as a fraction
    now = await live();
    expect(rulesOf(now)[1]!.filters![0]!.requestMirror).toMatchObject({ fraction: { numerator: 125_000, denominator: 1_000_000 } });

    await p.apply(states[2]!);
    now = await live();
    expect(ruleNames(now)).toEqual(['testers', 'mesh-exp-ab', 'primary']);
    expect(rulesOf(now)[1]).toMatchObject({
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-canary', type: 'Exact', value: 'yes' }] }],
      backendRefs: [{ name: 'reviews-v2', weight: 1 }],
    });
    expect(weightsOf(now)).toEqual({ 'reviews-v1': 1, 'reviews-v2': 0 });

    await p.restore({ ...snap, owner: OWNER });
    await expectRestored();
  });

  it('keeps what the user changes outside the managed rule during the run', async () => {
    const p = provider({ plannedStates: [{ canaryWeight: 30 }, { canaryWeight: 60 }] });
    const snap = await p.snapshot();
    await p.claim!(OWNER);
    await p.apply({ canaryWeight: 30 });
    await admin.patch(HTTP_ROUTE, NS, 'reviews', [
      { op: 'replace', path: '/spec/rules/0/filters/0/requestHeaderModifier/add/0/value', value: 'very' },
      { op: 'add', path: '/metadata/labels/tier', value: 'gold' },
    ]);
    await p.apply({ canaryWeight: 60 });
    await p.restore({ ...snap, owner: OWNER });
    const now = await live();
    expect(weightsOf(now)).toEqual({ 'reviews-v1': 1, 'reviews-v2': 0 });
    expect(rulesOf(now)[0]!.filters).toEqual([{ type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-tester', value: 'very' }] } }]);
    expect(now.metadata.labels).toEqual({ ...original.metadata.labels, tier: 'gold' });
    expect(await p.checkRestored!(snap)).toBeUndefined();
  });

  it('detects a manual edit of the managed rule mid-run and overwrites nothing', async () => {
    const p = provider({ plannedStates: [{ canaryWeight: 10 }, { canaryWeight: 50 }] });
    const snap = await p.snapshot();
    await p.claim!(OWNER);
    await p.apply({ canaryWeight: 10 });
    await admin.patch(HTTP_ROUTE, NS, 'reviews', [{ op: 'replace', path: '/spec/rules/1/backendRefs/1/weight', value: 5 }]);
    const edited = owned(await live());
    const err = await p.apply({ canaryWeight: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConcurrentChangeError);
    expect((err as ConcurrentChangeError).hint).toMatch(/reviews-v1:90,reviews-v2:5/);
    expect(owned(await live())).toEqual(edited);
    await expect(p.restore({ ...snap, owner: OWNER })).rejects.toThrow(/changed by someone else/);
    expect(owned(await live())).toEqual(edited);
  });

  it('re-reads and re-applies when a concurrent writer bumps the object between read and patch', async () => {
    const attempts: number[] = [];
    const p = provider({
      plannedStates: [{ canaryWeight: 40 }],
      beforePatch: async (attempt) => {
        attempts.push(attempt);
        if (attempt === 1) await admin.patch(HTTP_ROUTE, NS, 'reviews', [{ op: 'add', path: '/metadata/labels/bumped', value: 'yes' }]);
      },
    });
    await p.snapshot();
    await p.claim!(OWNER); // resourceVersion precondition: 409 on the first try, re-read, then applied
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
    expect((await live()).metadata.annotations).toMatchObject({ [OWNER_ANNOTATION]: OWNER });
  });

  it('refuses a held HTTPRoute and what an HTTPRoute cannot express, before any change', async () => {
    const first = provider();
    await first.snapshot();
    await first.claim!('/runs/other/journal.jsonl');
    await expect(provider().snapshot()).rejects.toBeInstanceOf(TargetBusyError);
    original = await recreate(admin, HTTP_ROUTE, NS, fixture);

    const fault = provider({ plannedStates: [{ fault: { abortStatus: 503, abortPercent: 10 } }] });
    await expect(fault.preflight()).rejects.toThrow(/no fault injection/);
    const prefix = provider({ plannedStates: [{ abMatch: [{ headers: { 'x-canary': { prefix: 'y' } } }] }] });
    await expect(prefix.preflight()).rejects.toThrow(/by prefix has no HTTPRoute equivalent/);
    const missing = createGatewayApiProvider({ name: 'gateway-api', objects: admin, target: { ...target, canary: 'reviews-v9' } });
    await expect(missing.preflight()).rejects.toThrow(/no rule with backendRefs to both reviews-v1 and reviews-v9/);
    await expectRestored();
  });

  it("reports what the CRD's validation rejects: at preflight (dry run, nothing changed) and at apply", async () => {
    // A mirror share over 100% passes mesh-exp's own rendering but not the CRD (percent maximum 100).
    const bad: TrafficState = { mirror: { subset: 'v2', percentage: 150 } };
    const p = provider({ plannedStates: [{ canaryWeight: 10 }, bad] });
    const err = await p.preflight().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(/the API server would reject the step "mirror 150% to v2"/);
    expect((err as Error).message).toMatch(/percent/);
    await expectRestored();

    const q = provider();
    await q.snapshot();
    const applyErr = await q.apply(bad).catch((e: unknown) => e);
    expect(applyErr).toBeInstanceOf(KubeApiError);
    expect((applyErr as KubeApiError).status).toBe(422);
    await expectRestored();
  });

  it('rides out an API server restart mid-run: the restore backs off, then completes', async () => {
    await restoreRidesOutRestart(kube, provider({ plannedStates: [{ canaryWeight: 40 }] }), OWNER, { canaryWeight: 40 }, expectRestored);
  }, 120_000);
});
