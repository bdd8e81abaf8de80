/**
 * `mesh-exp run` and `mesh-exp plan` with provider gateway-api, through the CLI in-process, against
 * a real kube-apiserver (localkube) with the Gateway API's HTTPRoute CRD. The runner changes the
 * HTTPRoute only through the Kubernetes API; the traffic it measures comes from a stand-in data
 * plane (test/support/httproute-dataplane.ts) that follows the rule's weights through the same API,
 * since no Istio proxy runs here. A good canary is promoted (the rule ends on reviews-v2, no mark
 * left); a bad one is rolled back and the HTTPRoute is exactly what the user wrote.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createCustomObjects, type CustomObjects, HTTP_ROUTE, type KubeObject } from '../../../src/kube/custom-objects.js';
import type { RunResult } from '../../../src/model/result.js';
import type { HTTPRouteObject } from '../../../src/traffic/gateway-api/types.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { type HttpRouteDataPlane, type StandInBackend, startHttpRouteDataPlane } from '../../support/httproute-dataplane.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';

const NS = 'storefront';
const read = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;
const fixture = read('test/fixtures/kube-gateway/reviews-httproute.yaml');
const experiment = read('test/fixtures/kube-gateway/experiment.yaml') as unknown as { spec: { load: { url: string } } };
type Rule = { name?: string; backendRefs?: { name: string; weight?: number }[] };
const weightsOf = (obj: KubeObject) =>
  Object.fromEntries(((obj.spec as { rules: Rule[] }).rules.find((r) => r.name === 'primary')?.backendRefs ?? []).map((b) => [b.name, b.weight]));

describe.skipIf(!localKubeAvailable('the gateway-api run tests', 'istio+gateway'))('mesh-exp run with provider gateway-api against a real kube-apiserver', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let work: string;
  let plane: HttpRouteDataPlane | undefined;

  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio+gateway', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    work = mkdtempSync(path.join(tmpdir(), 'mesh-exp-gwapi-'));
  }, 120_000);
  afterAll(async () => {
    await kube?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let original: KubeObject;
  beforeEach(async () => {
    await admin.delete(HTTP_ROUTE, NS, 'reviews');
    original = await admin.create(HTTP_ROUTE, NS, { ...fixture, metadata: { ...fixture.metadata, namespace: NS } });
  });
  afterEach(async () => {
    await plane?.close();
    plane = undefined;
  });

  const live = async () => (await admin.get(HTTP_ROUTE, NS, 'reviews'))!;
  const owned = (o: KubeObject) => userOwned<HTTPRouteObject>(o, HTTP_ROUTE);
  /** Starts the stand-in data plane and writes the experiment with its URL; returns the file. */
  const setUp = async (name: string, canaryErrorRate: number) => {
    const backends: StandInBackend[] = [
      { service: 'reviews-v1', version: 'v1' },
      { service: 'reviews-v2', version: 'v2', errorRate: canaryErrorRate },
    ];
    plane = await startHttpRouteDataPlane(admin, NS, 'reviews', 'primary', backends);
    const file = path.join(work, `${name}.yaml`);
    const doc = structuredClone(experiment);
    doc.spec.load.url = `${plane.url}/reviews/1`;
    writeFileSync(file, stringify(doc));
    return file;
  };
  const run = async (file: string, name: string) => {
    const dir = path.join(work, name);
    const out = await runCliInProcess(['run', file, '--kubeconfig', kube.kubeconfigPath('admin'), '--report-dir', dir]);
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult;
    return { ...out, result };
  };

  it('plan reads the HTTPRoute and prints each step\'s diff and exact JSON patch, changing nothing', async () => {
    const file = await setUp('plan', 0);
    const out = await runCliInProcess(['plan', file, '--kubeconfig', kube.kubeconfigPath('admin'), '--output', 'json']);
    expect(out.code).toBe(0);
    const view = JSON.parse(out.stdout) as { target: string; steps: { patch: { op: string; path: string; value?: unknown }[]; diff: string }[]; restorePatch: unknown[] };
    expect(view.target).toMatch(/^HTTPRoute storefront\/reviews, rule "primary"/);
    expect(view.steps).toHaveLength(3);
    expect(view.steps[0]!.patch[0]).toEqual({ op: 'test', path: '/spec/rules/1', value: (original.spec as { rules: unknown[] }).rules[1] });
    expect(view.steps[0]!.patch[1]).toMatchObject({ op: 'replace', path: '/spec/rules/1' });
    expect(view.steps[0]!.diff).toMatch(/-\s+weight: 1\n\+\s+weight: 75/);
    expect(owned(await live())).toEqual(owned(original));
  });

  it('promotes a good canary through the HTTPRoute: the rule ends on reviews-v2 and the mark is released', async () => {
    const file = await setUp('good', 0);
    const { code, stderr, result } = await run(file, 'good');
    expect(result.outcome, stderr).toBe('promoted');
    expect(code).toBe(0);
    expect(result.steps.map((s) => s.decision)).toEqual(['continue', 'continue', 'promote']);
    // The canary really took traffic, as the rule's weights said.
    expect(plane!.served.v2).toBeGreaterThan(100);
    expect(result.steps[0]!.checks[0]).toMatchObject({ verdict: 'pass' });
    const now = await live();
    expect(weightsOf(now)).toEqual({ 'reviews-v1': 0, 'reviews-v2': 100 });
    expect(now.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
    // Only the managed rule changed: the user's rule, labels and annotations are as they were.
    expect((now.spec as { rules: unknown[] }).rules[0]).toEqual((original.spec as { rules: unknown[] }).rules[0]);
    expect(now.metadata.labels).toEqual(original.metadata.labels);
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);
  }, 60_000);

  it('rolls back a bad canary at the first step and leaves the HTTPRoute exactly as the user wrote it', async () => {
    const file = await setUp('bad', 0.1);
    const { code, stderr, result } = await run(file, 'bad');
    expect(result.outcome, stderr).toBe('rolled-back');
    expect(code).toBe(1);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]!.checks[0]).toMatchObject({ verdict: 'fail' });
    expect(result.restored).toBe(true);
    expect(result.summary).toMatch(/error-rate/);
    expect(owned(await live())).toEqual(owned(original));
    // After the restore the stand-in (re-reading every 100 ms) serves v1 only again.
    await new Promise((r) => setTimeout(r, 300));
    const before = plane!.served.v2 ?? 0;
    for (let i = 0; i < 20; i++) await fetch(`${plane!.url}/`).then((r) => r.text());
    expect(plane!.served.v2 ?? 0).toBe(before);
  }, 60_000);
});
