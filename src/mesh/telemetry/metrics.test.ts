import { describe, expect, it } from 'vitest';
import type { Workload } from '../endpoints/endpoint.js';
import { createIstioMetrics, DURATION_BUCKETS_MS, INGRESS_GATEWAY } from './metrics.js';
import { parsePrometheusText, sumSamples } from './prom-parse.js';

const v2: Workload = { service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default', subset: 'v2', name: 'reviews-v2', version: 'v2', app: 'reviews', labels: { version: 'v2' } };

describe('createIstioMetrics', () => {
  it("writes Istio's families, labels and buckets in valid exposition", () => {
    const m = createIstioMetrics();
    const dst = m.labelsFor('destination', v2);
    expect(m.labelsFor('destination', v2)).toBe(dst);
    m.record(dst, 200, '-', 0.3);
    m.record(dst, 200, '-', 7);
    m.record(dst, 200, '-', 7000);
    m.record(dst, 500, '-', 12);
    m.record(m.labelsFor('source', { service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default' }), 503, 'FI', 1);
    m.record(m.labelsFor('source', undefined), 404, 'NR', 0.1);
    const { samples, types } = parsePrometheusText(m.render());
    expect(types.get('istio_requests_total')).toBe('counter');
    expect(types.get('istio_request_duration_milliseconds')).toBe('histogram');

    const ok = { reporter: 'destination', destination_workload: 'reviews-v2', response_code: '200' };
    expect(sumSamples(samples, 'istio_requests_total', ok)).toBe(3);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'destination' })).toBe(4);
    const counter = samples.find((s) => s.name === 'istio_requests_total' && s.labels['response_code'] === '200')!;
    expect(counter.labels).toMatchObject({
      reporter: 'destination', source_workload: 'unknown', destination_service: 'reviews.default.svc.cluster.local',
      destination_service_name: 'reviews', destination_service_namespace: 'default', destination_workload: 'reviews-v2',
      destination_workload_namespace: 'default', destination_version: 'v2', destination_app: 'reviews',
      request_protocol: 'http', response_flags: '-', connection_security_policy: 'unknown',
    });

    const buckets = samples.filter((s) => s.name === 'istio_request_duration_milliseconds_bucket' && s.labels['response_code'] === '200' && s.labels['reporter'] === 'destination');
    expect(buckets.map((b) => b.labels['le'])).toEqual([...DURATION_BUCKETS_MS.map(String), '+Inf']);
    const at = (le: string) => buckets.find((b) => b.labels['le'] === le)!.value;
    expect([at('0.5'), at('1'), at('5'), at('10'), at('5000'), at('10000'), at('+Inf')]).toEqual([1, 1, 1, 2, 2, 3, 3]);
    expect(sumSamples(samples, 'istio_request_duration_milliseconds_count', ok)).toBe(3);
    expect(sumSamples(samples, 'istio_request_duration_milliseconds_sum', ok)).toBeCloseTo(7007.3, 6);

    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', response_flags: 'FI', destination_service: 'reviews.default.svc.cluster.local', destination_workload: 'unknown' })).toBe(1);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', response_flags: 'NR', destination_service: 'unknown' })).toBe(1);
  });

  it('renders only HELP/TYPE lines when nothing was recorded', () => {
    const { samples } = parsePrometheusText(createIstioMetrics().render());
    expect(samples).toEqual([]);
  });

  it('a bucket bound is inclusive (le)', () => {
    const m = createIstioMetrics();
    m.record(m.labelsFor('destination', v2), 200, '-', 5);
    const { samples } = parsePrometheusText(m.render());
    expect(samples.find((s) => s.name.endsWith('_bucket') && s.labels['le'] === '5')!.value).toBe(1);
    expect(samples.find((s) => s.name.endsWith('_bucket') && s.labels['le'] === '1')!.value).toBe(0);
  });

  it('records through a source view with the ingress gateway\'s labels, into the same families', () => {
    const m = createIstioMetrics();
    const gw = m.forSource(INGRESS_GATEWAY);
    expect(m.forSource(INGRESS_GATEWAY)).toBe(gw);
    m.record(m.labelsFor('source', v2), 200, '-', 1);
    m.record(gw.labelsFor('source', v2), 200, '-', 1);
    gw.tcp.series('source', v2, '-').opened++;
    const { samples } = parsePrometheusText(gw.render());
    const viaGw = samples.find((s) => s.name === 'istio_requests_total' && s.labels['source_workload'] === 'istio-ingressgateway')!;
    expect(viaGw.labels).toMatchObject({ source_workload_namespace: 'istio-system', source_app: 'istio-ingressgateway', source_canonical_service: 'istio-ingressgateway', source_cluster: 'Kubernetes', source_principal: 'unknown' });
    expect(sumSamples(samples, 'istio_requests_total', { source_workload: 'unknown' })).toBe(1);
    expect(sumSamples(samples, 'istio_tcp_connections_opened_total', { source_workload: 'istio-ingressgateway', request_protocol: 'tcp', destination_version: 'v2' })).toBe(1);
  });
});
