import { describe, expect, it } from 'vitest';
import type { Workload } from '../endpoints/endpoint.js';
import { createIstioMetrics } from './metrics.js';
import { MIRRORED_DURATION_MS, MIRRORED_REQUESTS_TOTAL } from './mirror-metrics.js';
import { parsePrometheusText, sumSamples } from './prom-parse.js';

const v2: Workload = { service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default', subset: 'v2', name: 'reviews-v2', version: 'v2', app: 'reviews', labels: { version: 'v2' } };

describe('the mesh\'s count of mirrored copies', () => {
  it('counts every copy by destination and code (0: no response), with its duration, apart from Istio\'s families', () => {
    const m = createIstioMetrics();
    m.mirrors.record(v2, 200, 4);
    m.mirrors.record(v2, 200, 30);
    m.mirrors.record(v2, 0, 2);
    const { samples, types } = parsePrometheusText(m.render());
    expect(types.get(MIRRORED_REQUESTS_TOTAL)).toBe('counter');
    expect(types.get(MIRRORED_DURATION_MS)).toBe('histogram');
    const dest = { destination_service: v2.service, destination_service_name: 'reviews', destination_subset: 'v2', destination_version: 'v2' };
    expect(sumSamples(samples, MIRRORED_REQUESTS_TOTAL, { ...dest, response_code: '200' })).toBe(2);
    expect(sumSamples(samples, MIRRORED_REQUESTS_TOTAL, { ...dest, response_code: '0' })).toBe(1);
    expect(sumSamples(samples, `${MIRRORED_DURATION_MS}_bucket`, { ...dest, response_code: '200', le: '5' })).toBe(1);
    expect(sumSamples(samples, `${MIRRORED_DURATION_MS}_bucket`, { ...dest, response_code: '200', le: '50' })).toBe(2);
    // A copy is not a request anyone waited for: Istio's own families are untouched.
    expect(sumSamples(samples, 'istio_requests_total')).toBe(0);
  });

  it('writes nothing of its own until a copy was recorded', () => {
    const { types } = parsePrometheusText(createIstioMetrics().render());
    expect([...types.keys()]).toEqual(['istio_requests_total', 'istio_request_duration_milliseconds']);
  });
});
