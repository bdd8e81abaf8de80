/**
 * SIMULATION OF THE PODS — distributed load judged on Prometheus, with the Job's pods run as local
 * processes because no kubelet runs here (localkube is a bare kube-apiserver).
 *
 * `mesh-exp run` (in-process CLI, provider istio, load.distributed with generator vegeta, 3
 * replicas) creates each step's ConfigMap and indexed Job in a REAL kube-apiserver. The test reads
 * each Job back AS CREATED and runs its container's command line, once per completion index, with
 * the REAL vegeta binary (test/support/pod-simulation.ts lists the exact substitutions: the binary
 * path, $(JOB_COMPLETION_INDEX), the targets file's local path with the in-cluster URL's origin
 * replaced by the local mesh's proxy, and a loopback port per pod for -prometheus-addr). The local
 * mesh follows the VirtualService in the API server the way istiod does, and a REAL Prometheus
 * scrapes both the mesh's Istio-style metrics (/stats/prometheus) and each simulated pod's vegeta
 * exporter. The run is judged on that alone — no request passes through the mesh-exp process:
 *   1. a good canary: Istio's request-success-rate of v2 and vegeta's own success rate are 100,
 *      with data at every step; promoted; every pod exited 0; no load object is left;
 *   2. a bad canary (15% of v2's answers are 500): both fall below 99 at step 1; rolled back.
 * What this does NOT show: scheduling, image pulls, in-cluster DNS, Prometheus's pod discovery by
 * the prometheus.io annotations (the test's Prometheus has static targets), and pods starting late.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ExitCode } from '../../../src/errors.js';
import { type CustomObjects, createCustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import type { DemoBackendSpec } from '../../../src/experiment/schema.js';
import type { KubeMesh } from '../../../src/mesh/kube-mesh.js';
import type { RunResult } from '../../../src/model/result.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { listLoadObjects } from '../../support/distributed-harness.js';
import { GOOD_BACKEND, startReviewsMesh } from '../../support/reviews-kube-mesh.js';
import { freePort } from '../../support/free-port.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { simulatePods, VEGETA_BINARY, type PodSimulation } from '../../support/pod-simulation.js';
import { type RunningPrometheus, startPrometheus } from '../../support/prometheus.js';
import { requireTool } from '../../support/require-tool.js';

const NS = 'shop';
const REPLICAS = 3;
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/kube-e2e');
const fixture = async (name: string) => parse(await readFile(path.join(FIXTURES, name), 'utf8')) as KubeObject;
const GOOD = GOOD_BACKEND;
const BAD: DemoBackendSpec = { latency: { median: 3, p99: 10 }, errorRate: 0.15 };
/** vegeta's own view (its exporter's request_seconds histogram, by status), summed over the pods. */
const VEGETA_SUCCESS = 'sum(increase(request_seconds_count{status!~"5..|0"}[{{ interval }}])) / sum(increase(request_seconds_count[{{ interval }}])) * 100';

const WHY = 'the distributed-load simulation test';
const prometheusBinary = localKubeAvailable(WHY) ? requireTool('prometheus', `${WHY} (apt-get install prometheus)`) : undefined;
const binary = prometheusBinary ? requireTool(VEGETA_BINARY, `${WHY} (npm run setup:vegeta)`) && prometheusBinary : undefined;

describe.skipIf(!binary)('SIMULATION of the Job\'s pods (no kubelet): distributed vegeta load judged on Prometheus', () => {
  let lk: LocalKube;
  let admin: CustomObjects;
  let prom: RunningPrometheus;
  let adminPort: number;
  let podPorts: number[];
  let work: string;
  let km: KubeMesh | undefined;
  let sim: PodSimulation | undefined;

  beforeAll(async () => {
    adminPort = await freePort();
    podPorts = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    // vegeta's exporter answers every path, so the one scrape job reads the mesh and the pods alike.
    [lk, prom] = await Promise.all([startLocalKube({ namespace: NS }), startPrometheus(binary!, [adminPort, ...podPorts].map((p) => `127.0.0.1:${p}`))]);
    admin = await createCustomObjects(lk.kubeConfig('admin'));
    await admin.create(DESTINATION_RULE, NS, await fixture('destination-rule.yaml'));
    work = await mkdtemp(path.join(tmpdir(), 'mesh-exp-distributed-sim-'));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([lk?.dispose(), prom?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);
  afterEach(async () => {
    await sim?.stop();
    await km?.close();
    sim = km = undefined;
  });

  /** The mesh (following the API server) serving v2 as given, the Prometheus target of the mesh up, the pods simulated. */
  async function setUp(name: string, v2: DemoBackendSpec): Promise<void> {
    await admin.delete(VIRTUAL_SERVICE, NS, 'reviews');
    await admin.create(VIRTUAL_SERVICE, NS, await fixture('virtual-service.yaml'));
    km = await startReviewsMesh({ kubeconfig: lk.kubeconfigPath('admin'), namespace: NS, adminPort, v2 });
    for (const end = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const body = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(`up{instance="127.0.0.1:${adminPort}"}`)}`)).json()) as { data: { result: { value: [number, string] }[] } };
      if (body.data.result[0]?.value[1] === '1') break;
      if (Date.now() > end) throw new Error('Prometheus never scraped the mesh');
    }
    sim = await simulatePods({ kubeConfig: lk.kubeConfig('admin'), namespace: NS, localOrigin: km.mesh.url, metricsPorts: podPorts, dir: path.join(work, name) });
  }

  async function run(name: string): Promise<{ code: number; stderr: string; result: RunResult }> {
    const exp = await fixture('experiment.yaml');
    const spec = exp['spec'] as Record<string, unknown> & { load: Record<string, unknown>; metrics: { prometheus: Record<string, unknown> } };
    spec['traffic'] = { shift: { steps: [50, 100], interval: '5s' } };
    spec.load = { generator: 'vegeta', host: 'reviews', path: '/reviews/1', rate: 60, distributed: { replicas: REPLICAS, image: 'registry.example.com/tools/vegeta:12.13.0' } };
    spec['slos'] = [
      { kind: 'prometheus', subject: 'canary', builtin: 'request-success-rate', min: 99 },
      { kind: 'prometheus', subject: 'all', name: 'vegeta-success-rate', query: VEGETA_SUCCESS, min: 99 },
    ];
    spec.metrics.prometheus['address'] = prom.url;
    const file = path.join(work, `${name}.yaml`);
    await (await import('node:fs/promises')).writeFile(file, stringify(exp));
    const reportDir = path.join(work, `${name}-report`);
    const out = await runCliInProcess(['run', file, '--kubeconfig', lk.kubeconfigPath('admin'), '--report-dir', reportDir, '--no-progress']);
    const result = JSON.parse(await readFile(path.join(reportDir, 'result.json'), 'utf8')) as RunResult;
    return { ...out, result };
  }

  const checks = (result: RunResult, step: number) => result.steps[step]!.checks.map((c) => [c.name, c.verdict, c.value]);

  it('a good canary: the pods\' load, scraped by Prometheus, passes Istio\'s and vegeta\'s success rates at every step; promoted', async () => {
    await setUp('good', GOOD);
    const out = await run('good');
    expect(out.code, `${out.stderr}\n${out.result.summary}`).toBe(ExitCode.OK);
    expect(out.result.outcome).toBe('promoted');
    for (const step of [0, 1]) {
      expect(checks(out.result, step)).toEqual([
        ['canary-request-success-rate', 'pass', 100],
        ['vegeta-success-rate', 'pass', 100],
      ]);
    }
    // One simulated pod per completion index and step, each from the Job as created, each exited 0.
    await sim!.stop();
    expect(sim!.pods.map((p) => [p.job.replace(/-[0-9a-z]+-(\d)$/, '-<id>-$1'), p.index])).toEqual([
      ['mx-kube-e2e-canary-<id>-1', 0], ['mx-kube-e2e-canary-<id>-1', 1], ['mx-kube-e2e-canary-<id>-1', 2],
      ['mx-kube-e2e-canary-<id>-2', 0], ['mx-kube-e2e-canary-<id>-2', 1], ['mx-kube-e2e-canary-<id>-2', 2],
    ]);
    for (const pod of sim!.pods) {
      expect(pod.exitCode, pod.stderr).toBe(0);
      expect(pod.createdArgs).toContain('-rate=20/1s');
      expect(pod.createdArgs).toContain(`-name=${pod.job}-$(JOB_COMPLETION_INDEX)`);
      expect(pod.argv).toContain(`-name=${pod.job}-${pod.index}`);
    }
    expect(await listLoadObjects(lk.kubeConfig('admin'), NS, false)).toEqual([]);
    // The only load was the pods': the run itself sent no request.
    expect(out.result.steps[0]!.stats.find((s) => s.version === 'all')?.count ?? 0).toBe(0);
  }, 120_000);

  it('a bad canary: Istio\'s v2 success rate and vegeta\'s own fall below 99 at step 1; rolled back', async () => {
    await setUp('bad', BAD);
    const out = await run('bad');
    expect(out.code, `${out.stderr}\n${out.result.summary}`).toBe(ExitCode.SLO_FAILED);
    expect(out.result.outcome).toBe('rolled-back');
    const [istio, vegeta] = out.result.steps[0]!.checks;
    expect([istio!.verdict, vegeta!.verdict]).toEqual(['fail', 'fail']);
    expect(istio!.value).toBeLessThan(99);
    expect(vegeta!.value).toBeLessThan(99);
    expect(await listLoadObjects(lk.kubeConfig('admin'), NS, false)).toEqual([]);
  }, 120_000);
});
