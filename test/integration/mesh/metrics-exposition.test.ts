/**
 * The mesh's /stats/prometheus after real traffic: parseable exposition, Istio's label set and
 * buckets, counts that add up to what the client saw, and Flagger's success-rate query evaluable.
 */
import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS_MS } from '../../../src/mesh/telemetry/metrics.js';
import { parsePrometheusText, sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { bookinfo, countBy, manifests, useMesh } from '../../support/mesh.js';

const local = useMesh(() => {
  const m = manifests(bookinfo('destination-rule-all.yaml', 'virtual-service-reviews-50-v3.yaml'));
  return {
    ...m,
    backends: [
      { host: 'reviews', subset: 'v1', replicas: 1, readyPath: '/', demo: { latency: { median: 2, p99: 8 }, errorRate: 0 } },
      { host: 'reviews', subset: 'v3', replicas: 2, readyPath: '/', demo: { latency: { median: 2, p99: 8 }, errorRate: 0.2 } },
    ],
  };
});

describe('metrics exposition', () => {
  it('counts every request under Istio names and labels, consistent with what the client saw', async () => {
    const n = 600;
    const replies = await local.http.many(n, 16, () => ['reviews']);
    const byVersion = countBy(replies, 'x-version');
    const errorsV3 = replies.filter((r) => r.status === 500).length;
    expect(errorsV3).toBeGreaterThan(0);

    const res = await fetch(`${local.mesh.adminUrl}/stats/prometheus`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toBe(local.mesh.metricsText());
    const { samples, types } = parsePrometheusText(text);
    expect(types.get('istio_requests_total')).toBe('counter');
    expect(types.get('istio_request_duration_milliseconds')).toBe('histogram');

    const total = (m: Record<string, string>) => sumSamples(samples, 'istio_requests_total', m);
    const svc = { destination_service: 'reviews.default.svc.cluster.local', destination_service_name: 'reviews', destination_service_namespace: 'default' };
    expect(total({ reporter: 'source', ...svc })).toBe(n);
    expect(total({ reporter: 'destination', ...svc })).toBe(n);
    for (const v of ['v1', 'v3']) {
      expect(total({ reporter: 'destination', ...svc, destination_version: v, destination_workload: `reviews-${v}`, destination_workload_namespace: 'default', destination_app: 'reviews' })).toBe(byVersion[v]);
    }
    expect(total({ reporter: 'destination', destination_version: 'v3', response_code: '500' })).toBe(errorsV3);

    // Flagger's request-success-rate query, evaluated on the counters (no rate window needed here).
    const ok = samples.filter((s) => s.name === 'istio_requests_total' && s.labels['reporter'] === 'destination' && s.labels['destination_workload'] === 'reviews-v3' && !/^5/.test(s.labels['response_code']!));
    const successRate = (100 * ok.reduce((a, s) => a + s.value, 0)) / total({ reporter: 'destination', destination_workload: 'reviews-v3' });
    expect(successRate).toBeCloseTo((100 * (byVersion['v3']! - errorsV3)) / byVersion['v3']!, 6);

    // Histograms: Istio's buckets, cumulative, +Inf = _count = the counter of the same labels.
    const series = samples.filter((s) => s.name === 'istio_requests_total');
    for (const c of series) {
      const key = JSON.stringify(c.labels);
      const buckets = samples.filter((s) => s.name === 'istio_request_duration_milliseconds_bucket' && JSON.stringify({ ...s.labels, le: undefined }) === JSON.stringify({ ...c.labels, le: undefined }));
      expect(buckets.map((b) => b.labels['le']), key).toEqual([...DURATION_BUCKETS_MS.map(String), '+Inf']);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      expect(buckets.at(-1)!.value).toBe(c.value);
      expect(sumSamples(samples, 'istio_request_duration_milliseconds_count', c.labels)).toBe(c.value);
      expect(sumSamples(samples, 'istio_request_duration_milliseconds_sum', c.labels)).toBeGreaterThan(0);
      expect(c.labels).toMatchObject({ request_protocol: 'http', connection_security_policy: 'unknown', source_workload: 'unknown' });
    }
  });
});
