/**
 * The Prometheus metric source against a real Prometheus scraping the local mesh every second:
 * queries, errors, the no-data diagnosis, and Flagger's built-ins agreeing with what the client saw.
 *
 * Agreement, and why it can be tight: the load runs after a warm-up that creates every series
 * (2xx and 5xx of both versions), and the query's range starts after the warm-up settled and ends
 * after the last scrape of the load. So `rate()` sees exactly the load's requests on every series,
 * with the same extrapolation factor on each, and the success-rate ratio equals the client's count
 * ratio up to requests still in flight at a scrape edge: we allow 0.5 percentage points.
 * Latency: Prometheus interpolates p99 inside Istio's buckets (…, 50, 100, 250 ms), so its p99 is
 * only known to the bucket: it must fall in the client's p99 bucket or, since the client's latency
 * also holds the proxy hop and its own scheduling, the one below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';
import { createSampleRecorder } from '../../../src/load/recorder.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import { measureMetricSlos, type PrometheusSlo } from '../../../src/metrics/measure.js';
import { createPrometheusSource } from '../../../src/metrics/prometheus/prometheus-source.js';
import type { MetricSource } from '../../../src/metrics/types.js';
import { RuntimeError } from '../../../src/errors.js';
import { manifests, repoRoot } from '../../support/mesh.js';
import { freePort, requirePrometheus, startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';
import path from 'node:path';
import type { PrometheusSpec, TargetSpec } from '../../../src/experiment/schema.js';

const binary = requirePrometheus();
const target: TargetSpec = { provider: 'local', namespace: 'default', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' };
const prometheusSpec: PrometheusSpec = { address: '', timeout: 5000, workload: '{{ service }}-{{ version }}', settle: 0, scrapeInterval: 1000 };
const ISTIO_BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const bucketOf = (ms: number) => ISTIO_BUCKETS.findIndex((b) => ms <= b);

describe.skipIf(!binary)('Prometheus source against a real Prometheus', () => {
  let mesh: LocalMesh;
  let prom: RunningPrometheus;
  let source: MetricSource;

  beforeAll(async () => {
    const m = manifests([path.join(repoRoot, 'experiments/manifests/reviews-virtual-service.yaml'), path.join(repoRoot, 'experiments/manifests/reviews-destination-rule.yaml')]);
    const vs = m.virtualServices[0]!;
    vs.spec.http![0]!.route = [
      { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
    ];
    const adminPort = await freePort();
    mesh = await createLocalMesh({
      ...m,
      listen: '127.0.0.1:0',
      admin: `127.0.0.1:${adminPort}`,
      backends: [
        { host: 'reviews', subset: 'v1', replicas: 1, readyPath: '/', demo: { latency: { median: 3, p99: 12 }, errorRate: 0.02 } },
        { host: 'reviews', subset: 'v2', replicas: 1, readyPath: '/', demo: { latency: { median: 25, p99: 70 }, errorRate: 0.1 } },
      ],
    });
    prom = await startPrometheus(binary!, [`127.0.0.1:${adminPort}`]);
    await prom.waitForTargets();
    source = createPrometheusSource({ address: prom.url, timeoutMs: 5000 });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await mesh?.close();
  });

  const drive = async (rate: number, durationMs: number) => {
    const recorder = createSampleRecorder();
    const startedAt = Date.now();
    await createBuiltinGenerator().run(
      { url: `${mesh.url}/reviews/1`, hostHeader: 'reviews', method: 'GET', headers: {}, rate, durationMs, timeoutMs: 5000, maxInFlight: 1000, versionHeader: 'x-version' },
      (s) => recorder.record(s),
      new AbortController().signal,
    );
    const stats = recorder.stats(startedAt - 1000, Date.now() + 1000);
    recorder.close();
    return stats;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('pings, and reports an unreachable Prometheus with a hint', async () => {
    await source.ping();
    const dead = createPrometheusSource({ address: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2000 });
    const err = await dead.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/unreachable/);
    expect((err as RuntimeError).hint).toMatch(/spec\.metrics\.prometheus\.address/);
  });

  it("shows Prometheus's own message for a bad query", async () => {
    const err = await source.query('sum(rate(istio_requests_total[1m]', Date.now()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/Prometheus rejected the query: bad_data: .*parse error/);
  });

  it("Flagger's built-ins per version agree with the client side", async () => {
    await drive(100, 2000); // warm-up: creates every series (2xx and 5xx of both versions)
    await sleep(3000); // counters flat for 3 scrapes
    const rangeStart = Date.now() - 1500;
    const stats = await drive(200, 8000);
    await sleep(2500); // two scrapes after the last response
    const now = Date.now();
    const windowMs = now - rangeStart;
    for (const version of ['v1', 'v2'] as const) {
      const subject = version === 'v1' ? 'stable' : 'canary';
      const rate: PrometheusSlo = { kind: 'prometheus', subject, builtin: 'request-success-rate', min: 0 };
      const duration: PrometheusSlo = { kind: 'prometheus', subject, builtin: 'request-duration', max: 1e9 };
      const m = await measureMetricSlos({ slos: [rate, duration], source, target, prometheus: prometheusSpec, windowMs, timeMs: now });
      const client = stats.find((s) => s.version === version)!;
      expect(client.count).toBeGreaterThan(500);
      const promSuccess = m.get(rate)!.value!;
      const clientSuccess = 100 * (1 - client.errorRate!);
      expect(Math.abs(promSuccess - clientSuccess), `${version}: Prometheus ${promSuccess}% vs client ${clientSuccess}%`).toBeLessThan(0.5);
      const promP99 = m.get(duration)!.value!;
      // The client's latency contains the mesh's (it adds the proxy hop and its own scheduling), so
      // Prometheus's p99 may sit one bucket lower on a busy machine, but never higher.
      const gap = bucketOf(client.latency.p99!) - bucketOf(promP99);
      expect(gap, `${version}: Prometheus p99 ${promP99} ms vs client p99 ${client.latency.p99} ms`).toBeGreaterThanOrEqual(0);
      expect(gap, `${version}: Prometheus p99 ${promP99} ms vs client p99 ${client.latency.p99} ms`).toBeLessThanOrEqual(1);
    }
  });

  it('says which label matched nothing, and which values it has', async () => {
    const slo: PrometheusSlo = { kind: 'prometheus', subject: 'canary', builtin: 'request-success-rate', min: 99 };
    const wrong: PrometheusSpec = { ...prometheusSpec, workload: 'reviews-canary' };
    const m = (await measureMetricSlos({ slos: [slo], source, target, prometheus: wrong, windowMs: 10_000, timeMs: Date.now() })).get(slo)!;
    expect(m.value).toBeNull();
    expect(m.noDataReason).toMatch(/label matcher destination_workload=~"reviews-canary" matched nothing/);
    expect(m.noDataReason).toMatch(/destination_workload has: .*reviews-v1.*reviews-v2|destination_workload has: .*reviews-v2.*reviews-v1/);
  });

  it('gives NaN (0/0) as no data, saying there were no requests', async () => {
    await sleep(3000); // nothing sent: rates over the last 2 s are 0
    const slo: PrometheusSlo = { kind: 'prometheus', subject: 'canary', builtin: 'request-success-rate', min: 99 };
    const m = (await measureMetricSlos({ slos: [slo], source, target, prometheus: prometheusSpec, windowMs: 2000, timeMs: Date.now() })).get(slo)!;
    expect(m.value).toBeNull();
    expect(m.noDataReason).toMatch(/NaN \(0\/0: no requests to reviews-v2 in the last 2s\)/);
  });

  it('refuses several series where one was expected, naming them', async () => {
    const slo: PrometheusSlo = { kind: 'prometheus', subject: 'all', query: 'sum by (destination_version) (istio_requests_total{reporter="destination"})', max: 1 };
    const err = await measureMetricSlos({ slos: [slo], source, target, prometheus: prometheusSpec, windowMs: 2000, timeMs: Date.now() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/returned 2 series where one was expected: .*destination_version="v[12]"/);
    expect((err as RuntimeError).hint).toMatch(/sum\(/);
  });
});
