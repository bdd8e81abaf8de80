import { describe, expect, it } from 'vitest';
import type { Workload } from '../mesh/endpoints/endpoint.js';
import { createIstioMetrics } from '../mesh/telemetry/metrics.js';
import { bucketQuantile, describeMirrored, mirroredBetween, mirrorTotals, startMirrorWindow } from './mirror-side.js';

const workload = (subset: string): Workload => ({ service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default', subset, name: `reviews-${subset}`, version: subset, app: 'reviews', labels: {} });

describe('bucketQuantile (histogram_quantile)', () => {
  it('interpolates linearly within the bucket that holds the rank, from 0 below the first bound', () => {
    const buckets: Array<[number, number]> = [[1, 0], [5, 50], [10, 100], [Infinity, 100]];
    expect(bucketQuantile(buckets, 0.5)).toBe(5);
    expect(bucketQuantile(buckets, 0.75)).toBe(7.5);
    expect(bucketQuantile(buckets, 0.25)).toBe(3);
  });

  it('gives the highest finite bound for a rank in +Inf, and null for no observation', () => {
    expect(bucketQuantile([[10, 1], [Infinity, 4]], 0.99)).toBe(10);
    expect(bucketQuantile([[10, 0], [Infinity, 0]], 0.5)).toBeNull();
  });
});

describe('mirrored traffic between two readings of the mesh', () => {
  it('counts only the copies to the mirror subset made between the readings: requests, failures, latency', () => {
    const m = createIstioMetrics();
    m.mirrors.record(workload('v2'), 200, 3); // before the step
    const before = mirrorTotals(m.render(), 'reviews', 'v2');
    for (let i = 0; i < 8; i++) m.mirrors.record(workload('v2'), 200, 7);
    m.mirrors.record(workload('v2'), 503, 7);
    m.mirrors.record(workload('v2'), 0, 20); // no response
    m.mirrors.record(workload('v3'), 500, 7); // another mirror
    const step = mirroredBetween(before, mirrorTotals(m.render(), 'reviews.default.svc.cluster.local', 'v2'), 'v2');
    expect(step).toMatchObject({ version: 'v2', measuredBy: 'mesh', count: 10, errors: 2, errorRate: 0.2 });
    // 9 of 10 in (5, 10], 1 in (10, 25]: the median interpolates within (5, 10].
    expect(step.latency.p50).toBeCloseTo(5 + 5 * (5 / 9), 6);
    expect(step.latency.p99).toBeCloseTo(10 + 15 * 0.9, 6);
    expect(describeMirrored(step)).toBe('v2: mirrored (shadow) traffic, measured by the mesh: 10 req, 20.00% err, p50 7.78ms, p99 23.5ms');
  });

  it('says 0 requests and no latency when nothing was mirrored in the window', async () => {
    const m = createIstioMetrics();
    const window = await startMirrorWindow({ read: async () => m.render(), host: 'reviews', subset: 'v2', signal: new AbortController().signal });
    expect(await window.end()).toEqual({ version: 'v2', measuredBy: 'mesh', count: 0, errors: 0, errorRate: null, latency: { p50: null, p95: null, p99: null } });
  });
});
