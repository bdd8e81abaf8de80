/**
 * The loop closed, through the Kubernetes API only: `mesh-exp run` (in-process CLI, provider istio,
 * --kubeconfig) patches the VirtualService in a REAL kube-apiserver (localkube, Istio's real CRDs);
 * the local mesh watches that API server and reconfigures live; the built-in generator sends load
 * through the mesh's proxy; a REAL Prometheus scrapes the mesh's /stats/prometheus and judges the
 * canary with Flagger's request-success-rate beside the client-side SLOs. Three cases:
 *   1. a good v2 is promoted: exit 0, the API server ends on 100% v2 without the ownership mark,
 *      and the mesh really moved the traffic (per-step versions, then every request on v2);
 *   2. a bad v2 (15% errors, slow) is rolled back at step 1: exit 1, the VirtualService is exactly
 *      the user's again and the mesh routes everything to v1;
 *   3. a route of the user's own, with its fault, survives a full promoted canary untouched, and
 *      the mesh honours its fault while the canary runs.
 * Skips loudly without localkube or prometheus; fails under CI=true.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ExitCode } from '../../../src/errors.js';
import { type CustomObjects, createCustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import type { KubeMesh } from '../../../src/mesh/kube-mesh.js';
import type { RunResult } from '../../../src/model/result.js';
import type { DemoBackendSpec } from '../../../src/experiment/schema.js';
import type { VirtualService } from '../../../src/istio/types.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { type CliOutcome, REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { GOOD_BACKEND, startReviewsMesh } from '../../support/reviews-kube-mesh.js';
import { freePort } from '../../support/free-port.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { client, countBy, type Reply } from '../../support/mesh.js';
import { requireTool } from '../../support/require-tool.js';
import { type RunningPrometheus, startPrometheus } from '../../support/prometheus.js';

const NS = 'shop';
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/kube-e2e');
const fixture = async (name: string) => parse(await readFile(path.join(FIXTURES, name), 'utf8')) as KubeObject;

const GOOD = GOOD_BACKEND;
/**
 * Slow and failing: median 80 ms against a 60 ms p99 SLO (so the p99 of step 1's ~75 canary requests
 * is above it for sure), and 15% answer 500 (so none failing, which would let the success-rate
 * SLOs pass, is a 1-in-10⁵ event).
 */
const BAD: DemoBackendSpec = { latency: { median: 80, p99: 160 }, errorRate: 0.15 };

/** What the user owns of an object: everything but the server's bookkeeping. */
const owned = (o: KubeObject) => userOwned<VirtualService>(o, VIRTUAL_SERVICE);
type Route = { name?: string; route?: { destination: { subset?: string }; weight?: number }[] };
const routes = (o: KubeObject | undefined) => (o?.spec as { http: Route[] }).http;
/** Weight per subset of the route named `name`. */
const weightsOf = (o: KubeObject | undefined, name = 'primary') =>
  Object.fromEntries(routes(o).find((r) => r.name === name)!.route!.map((d) => [d.destination.subset, d.weight ?? 0]));

const WHY = 'the end-to-end canary tests';
const binary = localKubeAvailable(WHY) ? requireTool('prometheus', `${WHY} (apt-get install prometheus)`) : undefined;

describe.skipIf(!binary)('canary end to end through the Kubernetes API (localkube, kube-fed mesh, Prometheus, CLI)', () => {
  let lk: LocalKube;
  let admin: CustomObjects;
  let prom: RunningPrometheus;
  let adminPort: number;
  let work: string;

  beforeAll(async () => {
    adminPort = await freePort();
    // Prometheus scrapes the admin port each case's mesh listens on; between cases the target is down.
    [lk, prom] = await Promise.all([startLocalKube({ namespace: NS }), startPrometheus(binary!, [`127.0.0.1:${adminPort}`])]);
    admin = await createCustomObjects(lk.kubeConfig('admin'));
    await admin.create(DESTINATION_RULE, NS, await fixture('destination-rule.yaml'));
    work = await mkdtemp(path.join(tmpdir(), 'mesh-exp-kube-e2e-'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([lk?.dispose(), prom?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  let km: KubeMesh | undefined;
  let http: ReturnType<typeof client> | undefined;
  let original: KubeObject;
  beforeEach(async () => {
    await admin.delete(VIRTUAL_SERVICE, NS, 'reviews');
  });
  afterEach(async () => {
    await http?.close();
    await km?.close();
    http = km = undefined;
  });

  /** Creates the user's VirtualService, then a mesh watching the namespace with v2 as given, ready and scraped. */
  async function setUp(vsFile: string, v2: DemoBackendSpec): Promise<void> {
    original = await admin.create(VIRTUAL_SERVICE, NS, await fixture(vsFile));
    km = await startReviewsMesh({ kubeconfig: lk.kubeconfigPath('user'), namespace: NS, adminPort, v2 });
    http = client(km.mesh, 16);
    await prom.waitForTargets();
  }

  /** Runs the experiment fixture through the CLI against the mesh and Prometheus; returns the outcome and result.json. */
  async function run(name: string): Promise<CliOutcome & { result: RunResult }> {
    const exp = await fixture('experiment.yaml');
    const spec = exp['spec'] as { load: { url: string }; metrics: { prometheus: { address: string } } };
    spec.load.url = `${km!.mesh.url}/reviews/1`;
    spec.metrics.prometheus.address = prom.url;
    const file = path.join(work, `${name}.yaml`);
    await writeFile(file, stringify(exp));
    const reportDir = path.join(work, name);
    const out = await runCliInProcess(['run', file, '--kubeconfig', lk.kubeconfigPath('user'), '--report-dir', reportDir, '--no-progress']);
    const result = JSON.parse(await readFile(path.join(reportDir, 'result.json'), 'utf8')) as RunResult;
    return { ...out, result };
  }

  /** Resolves once the mesh serves the VirtualService as the API server holds it now; returns that object. */
  async function meshServesLive(): Promise<KubeObject> {
    const live = (await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!;
    const label = `VirtualService ${NS}/reviews`;
    let seen: unknown;
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const dump = (await (await fetch(`${km!.mesh.adminUrl}/config_dump`)).json()) as { kubernetes: { resourceVersions: Record<string, string> } };
      seen = dump.kubernetes.resourceVersions[label];
      if (seen === live.metadata.resourceVersion) return live;
    }
    throw new Error(`the mesh never served ${label} at resourceVersion ${live.metadata.resourceVersion} (it serves ${String(seen)})`);
  }

  /** Versions (x-version) of `n` plain requests through the mesh. */
  const versions = async (n = 200) => countBy(await http!.many(n, 8, () => ['reviews', { path: '/reviews/1' }]), 'x-version');
  const stepShare = (result: RunResult, step: number, version: string) => {
    const stats = result.steps[step]!.stats.filter((s) => s.version !== 'all');
    const total = stats.reduce((a, s) => a + s.count, 0);
    return (stats.find((s) => s.version === version)?.count ?? 0) / total;
  };
  const promCheck = (result: RunResult, step: number) => result.steps[step]!.checks.find((c) => c.kind === 'prometheus')!;

  it('promotes a good canary: exit 0, 100% v2 in the API server without the mark, and the mesh moved the traffic', async () => {
    await setUp('virtual-service.yaml', GOOD);
    expect(await versions()).toEqual({ v1: 200 });

    const out = await run('good');
    expect(out.code, `${out.stderr}\n${out.result.summary}`).toBe(ExitCode.OK);
    expect(out.stdout).toMatch(/^PROMOTED /);
    const { result } = out;
    expect(result.outcome).toBe('promoted');
    expect(result.restored).toBe(true);
    expect(result.steps.map((s) => [s.canaryWeight, s.decision])).toEqual([
      [25, 'continue'],
      [50, 'continue'],
      [100, 'promote'],
    ]);
    expect(result.steps.flatMap((s) => s.checks.filter((c) => c.verdict !== 'pass').map((c) => c.message))).toEqual([]);
    // Prometheus really had data at every step: the canary's success rate as the mesh counted it.
    for (const i of [0, 1, 2]) {
      const check = promCheck(result, i);
      expect(check.name).toBe('canary-request-success-rate');
      expect(check.verdict).toBe('pass');
      expect(check.value).toBe(100);
    }
    expect(result.environment).toMatchObject({ provider: 'istio', generator: 'builtin', prometheus: prom.url });
    // The report's mesh-side view has both versions of step 1 from Prometheus.
    expect(result.steps[0]!.meshView).toEqual([
      { version: 'v1', successRatePercent: 100, p99Ms: expect.any(Number) },
      { version: 'v2', successRatePercent: 100, p99Ms: expect.any(Number) },
    ]);
    // The load's responses (x-version, as the mesh routed them) followed the weights step by step.
    // 300 requests a step: 5 sigma of a 25% share is 0.125; the last step may start with a few
    // requests routed before the mesh saw the change.
    expect(Math.abs(stepShare(result, 0, 'v2') - 0.25)).toBeLessThan(0.125);
    expect(Math.abs(stepShare(result, 1, 'v2') - 0.5)).toBeLessThan(0.15);
    expect(stepShare(result, 2, 'v2')).toBeGreaterThan(0.95);

    // The API server holds the promotion, and nothing of the run's bookkeeping.
    const live = await meshServesLive();
    expect(weightsOf(live)).toEqual({ v1: 0, v2: 100 });
    expect(live.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
    expect(owned(live).metadata.labels).toEqual(owned(original).metadata.labels);
    expect(owned(live).metadata.annotations).toEqual(owned(original).metadata.annotations);
    // ... and the mesh serves it: every request reaches v2.
    expect(await versions()).toEqual({ v2: 200 });
  });

  it('rolls back a bad canary at step 1: exit 1, the VirtualService exactly as the user wrote it, all traffic on v1', async () => {
    await setUp('virtual-service.yaml', BAD);
    const out = await run('bad');
    expect(out.code, `${out.stderr}\n${out.result.summary}`).toBe(ExitCode.SLO_FAILED);
    expect(out.stdout).toMatch(/^ROLLED-BACK /);
    const { result } = out;
    expect(result.outcome).toBe('rolled-back');
    expect(result.restored).toBe(true);
    expect(result.steps.map((s) => [s.canaryWeight, s.decision])).toEqual([[25, 'rollback']]);
    const failed = result.steps[0]!.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
    expect(failed.sort()).toEqual(['canary-error-rate', 'canary-latency-p99', 'canary-request-success-rate']);
    // The summary names the check that rolled back, with its value.
    expect(result.summary).toMatch(/^Rolled back at step 1 \(canary 25%\): canary-error-rate was \d+\.\d+% against a 1\.00% max/);
    // Prometheus saw v2's errors: a success rate below the SLO, with data (~85%; rate() misses at
    // most the first scrape of v2's series, born in this step).
    const check = promCheck(result, 0);
    expect(check.value).not.toBeNull();
    expect(check.value!).toBeLessThan(99);
    expect(check.value!).toBeGreaterThan(70);

    const live = await meshServesLive();
    expect(owned(live)).toEqual(owned(original));
    expect(await versions()).toEqual({ v1: 200 });
  });

  it("keeps the user's own faulted route exactly as written through a promoted canary, and the mesh honours it during the run", async () => {
    await setUp('virtual-service-user-fault.yaml', GOOD);
    const jason = () => http!.many(20, 10, () => ['reviews', { path: '/reviews/1', headers: { 'end-user': 'jason' } }]);
    const aborted = (replies: Reply[]) => {
      expect(replies.map((r) => [r.status, r.body])).toEqual(replies.map(() => [418, 'fault filter abort']));
      // Delay first, then abort: every one waited the user's 100 ms.
      expect(Math.min(...replies.map((r) => r.ms))).toBeGreaterThanOrEqual(95);
    };
    aborted(await jason());

    const running = run('user-fault');
    // While the canary is on (the mark set, the weight between 0 and 100), the mesh serves the
    // VirtualService the run is changing: the tester still gets the user's fault, others the split.
    let during: KubeObject | undefined;
    for (const end = Date.now() + 20_000; !during && Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const vs = await admin.get(VIRTUAL_SERVICE, NS, 'reviews');
      const w = weightsOf(vs)['v2']!;
      if (vs?.metadata.annotations?.[OWNER_ANNOTATION] && w > 0 && w < 100) during = vs;
    }
    expect(during, 'the run never reached a step between 0% and 100%').toBeDefined();
    await meshServesLive();
    aborted(await jason());
    const split = await versions(100);
    expect(Object.keys(split).sort()).toEqual(['v1', 'v2']);

    const out = await running;
    expect(out.code, `${out.stderr}\n${out.result.summary}`).toBe(ExitCode.OK);
    expect(out.result.outcome).toBe('promoted');
    expect(promCheck(out.result, 0).value).toBe(100);

    // Exactly the user's object, but for the weights of the route the experiment names.
    const live = await meshServesLive();
    const expected = structuredClone(owned(original));
    const primary = (expected.spec.http as Route[]).find((r) => r.name === 'primary')!;
    primary.route![0]!.weight = 0;
    primary.route![1]!.weight = 100;
    expect(owned(live)).toEqual(expected);
    expect(routes(live)[0]).toEqual(routes(original)[0]);
    // The mesh serves it: the tester is still aborted, everyone else is on v2.
    aborted(await jason());
    expect(await versions()).toEqual({ v2: 200 });
  });
});
