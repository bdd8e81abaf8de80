/**
 * Fault injection through the real proxy: abort percentages (float), header-scoped aborts, the
 * "no percentage = nothing" rule, delay-then-abort, and that aborted requests are never forwarded,
 * retried or mirrored.
 */
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { bookinfo, countBy, fiveSigma, fixture, instantAll, manifests, scrape, settle, useMesh } from '../../support/mesh.js';

const local = useMesh(() => {
  const m = manifests([...bookinfo('destination-rule-all.yaml'), ...fixture('faults.yaml')]);
  return { ...m, backends: instantAll(m.destinationRules) };
});

const dest = (samples: Awaited<ReturnType<typeof scrape>>, workload: string) =>
  sumSamples(samples, 'istio_requests_total', { reporter: 'destination', destination_workload: workload });

describe('fault injection', () => {
  it('aborts percentage.value = 12.5% of requests (n = 4000, 5σ bound 0.026), never forwarding or retrying them', async () => {
    const before = dest(await scrape(local.mesh), 'reviews-v1');
    const n = 4000;
    const replies = await local.http.many(n, 32, () => ['reviews', { headers: { 'x-case': 'abort-12.5' } }]);
    const aborted = replies.filter((r) => r.status === 500);
    expect(aborted.length + replies.filter((r) => r.status === 200).length).toBe(n);
    expect(Math.abs(aborted.length / n - 0.125)).toBeLessThan(fiveSigma(0.125, n));
    expect(aborted[0]!.body).toBe('fault filter abort');
    expect(aborted[0]!.headers['content-type']).toBe('text/plain');
    expect(aborted[0]!.headers['x-version']).toBeUndefined();
    const samples = await scrape(local.mesh);
    // The backend saw exactly the requests that were not aborted: no forwarding, and no retry
    // although the route retries on 5xx.
    expect(dest(samples, 'reviews-v1') - before).toBe(n - aborted.length);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', response_code: '500', response_flags: 'FI', destination_service: 'reviews.default.svc.cluster.local' })).toBe(aborted.length);
  });

  it('aborts only requests matching the route (end-user: jason)', async () => {
    const users = ['jason', 'bob'];
    const replies = await local.http.many(100, 10, (i) => ['reviews', { headers: { 'x-case': 'jason-abort', 'end-user': users[i % 2]! } }]);
    const jason = replies.filter((_, i) => i % 2 === 0);
    const bob = replies.filter((_, i) => i % 2 === 1);
    expect(jason.every((r) => r.status === 503 && r.body === 'fault filter abort')).toBe(true);
    // bob falls through to the last route (v1).
    expect(countBy(bob, 'x-version')).toEqual({ v1: 50 });
  });

  it('injects nothing when no percentage is given (Istio semantics), and warns about it', async () => {
    const replies = await local.http.many(200, 10, () => ['reviews', { headers: { 'x-case': 'no-percentage' } }]);
    expect(countBy(replies, 'x-version')).toEqual({ v1: 200 });
    expect(local.mesh.warnings.map((w) => w.path)).toContain('spec.http[2].fault.abort.percentage');
  });

  it('delays first, then aborts (flags DI,FI), and does not mirror the aborted request', async () => {
    const before = dest(await scrape(local.mesh), 'reviews-v3');
    const replies = await local.http.many(5, 5, () => ['reviews', { headers: { 'x-case': 'delay-and-abort' } }]);
    for (const r of replies) {
      expect(r.status).toBe(429);
      expect(r.ms).toBeGreaterThanOrEqual(300);
    }
    const samples = await settle(async () => scrape(local.mesh));
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', response_code: '429', response_flags: 'DI,FI' })).toBe(5);
    expect(dest(samples, 'reviews-v3')).toBe(before);
  });
});
