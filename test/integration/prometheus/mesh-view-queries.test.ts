/**
 * The mesh-view SLOs' PromQL against a real Prometheus: it scrapes a stand-in for an Istio sidecar
 * exposing `istio_requests_total` (with response_flags) and Envoy's cluster counters as Istio
 * exports them (`envoy_cluster_*{cluster_name="outbound|9080|v2|reviews.default.svc.cluster.local"}`),
 * growing at known rates, so the queries' syntax, the escaping of the cluster-name regex and the
 * ratios are checked by the server that runs them in a cluster.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istioSpecWithSlos } from '../../support/mesh-view-spec.js';
import { measureMeshViewSlos } from '../../../src/metrics/measure-mesh-view.js';
import type { MeshViewSlo } from '../../../src/metrics/mesh-view.js';
import { createPrometheusSource } from '../../../src/metrics/prometheus/prometheus-source.js';
import { freePort, requirePrometheus, startPrometheus, type RunningPrometheus } from '../../support/prometheus.js';

const binary = requirePrometheus();

const V2 = 'outbound|9080|v2|reviews.default.svc.cluster.local';
const V1 = 'outbound|9080|v1|reviews.default.svc.cluster.local';
const OTHER = 'outbound|9080|v2|ratings.default.svc.cluster.local';

/** The exposition `t` seconds after start: every counter grows linearly; v2 has had one ejection once `ejected`. */
function exposition(t: number, ejected: boolean): string {
  // Rates are per minute of traffic per second of test (× 60), so counters are large against rounding.
  const req = (workload: string, version: string, flags: string, perSecond: number) =>
    `istio_requests_total{reporter="source",destination_service_namespace="default",destination_service_name="reviews",destination_workload="${workload}",destination_version="${version}",response_flags="${flags}"} ${Math.floor(perSecond * t)}`;
  const envoy = (name: string, cluster: string, value: number) => `envoy_cluster_${name}{cluster_name="${cluster}"} ${value}`;
  return [
    '# TYPE istio_requests_total counter',
    req('reviews-v2', 'v2', '-', 40 * 60),
    req('unknown', 'unknown', 'UO', 10 * 60),
    req('reviews-v2', 'v2', 'UT,URX', 5 * 60),
    req('reviews-v1', 'v1', '-', 45 * 60),
    envoy('upstream_rq_retry', V2, Math.floor(10 * 60 * t)),
    envoy('upstream_rq_retry_success', V2, Math.floor(9 * 60 * t)),
    envoy('upstream_rq_retry', OTHER, Math.floor(50 * 60 * t)),
    envoy('upstream_rq_retry_success', OTHER, 0),
    envoy('outlier_detection_ejections_enforced_total', V2, ejected ? 1 : 0),
    envoy('outlier_detection_ejections_enforced_total', V1, 0),
    '',
  ].join('\n');
}

describe.skipIf(!binary)('mesh-view SLOs measured by a real Prometheus', () => {
  let prom: RunningPrometheus;
  let server: Server;
  let started = 0;
  let ejectAt = Infinity;

  beforeAll(async () => {
    const port = await freePort();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(exposition((Date.now() - started) / 1000, Date.now() >= ejectAt));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    started = Date.now();
    prom = await startPrometheus(binary!, [`127.0.0.1:${port}`]);
    await prom.waitForTargets();
    // Seven scrapes at 1 s; the ejection 2 s in lies inside the 6 s window queried below.
    ejectAt = Date.now() + 2000;
    await new Promise((r) => setTimeout(r, 7000));
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('gives the UO share of all requests, the URX share of the canary, the ejection and the retry success rate', async () => {
    const spec = istioSpecWithSlos([
        { kind: 'response-flag', flag: 'UO', max: '30%' },
        { kind: 'response-flag', flag: 'URX', subject: 'canary', max: '30%' },
        { kind: 'ejections', min: 1 },
        { kind: 'ejections', subject: 'stable', max: 0 },
        { kind: 'retry-success-rate', min: '90%' },
      ]);
    const slos = spec.slos as MeshViewSlo[];
    const source = createPrometheusSource({ address: prom.url, timeoutMs: 5000 });
    const m = await measureMeshViewSlos({ slos, source, target: spec.target, prometheus: spec.metrics!.prometheus!, windowMs: 6000, timeMs: Date.now() });
    // Counters growing at fixed rates: increase() extrapolates part and whole alike, so the shares are the rates' ratios.
    expect(m.get(slos[0]!)!.value).toBeCloseTo(10 / 100, 2);
    expect(m.get(slos[1]!)!.value).toBeCloseTo(5 / 45, 2);
    expect(m.get(slos[2]!)).toMatchObject({ value: 1 });
    expect(m.get(slos[3]!)).toMatchObject({ value: 0 });
    // ratings' retries (never successful) are another host's cluster: not counted.
    expect(m.get(slos[4]!)!.value).toBeCloseTo(0.9, 2);
  });
});
