/**
 * Retries and timeouts through the real proxy against an echo backend that fails the first n tries
 * of a request (keyed by the x-request-id the proxy adds, which retries keep).
 */
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { echo, fixture, manifests, reviewsV1, scrape, useMesh } from '../../support/mesh.js';

const local = useMesh(() => ({ ...manifests(fixture('retries-timeouts.yaml')), destinationRules: [reviewsV1], backends: [echo('reviews', 'v1')] }));

/** Counts of reporter="destination" (tries) and reporter="source" (client view) samples. */
async function counts(code: string, flags?: string) {
  const s = await scrape(local.mesh);
  return {
    tries: sumSamples(s, 'istio_requests_total', { reporter: 'destination', response_code: code }),
    client: sumSamples(s, 'istio_requests_total', { reporter: 'source', response_code: code, ...(flags ? { response_flags: flags } : {}) }),
  };
}

describe('retries', () => {
  it('retryOn 5xx: two failed tries then success — the client sees 200; every try is a destination sample', async () => {
    const b503 = await counts('503');
    const b200 = await counts('200');
    const replies = await local.http.many(20, 5, () => ['reviews', { headers: { 'x-case': 'retry-5xx', 'x-fail-times': '2' } }]);
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const a503 = await counts('503');
    const a200 = await counts('200');
    expect(a503.tries - b503.tries).toBe(40);
    expect(a503.client - b503.client).toBe(0);
    expect(a200.tries - b200.tries).toBe(20);
    expect(a200.client - b200.client).toBe(20);
  });

  it('gives up after attempts retries with the last response and flag URX', async () => {
    const before = await counts('502', 'URX');
    const r = await local.http.send('reviews', { headers: { 'x-case': 'retry-5xx', 'x-fail-times': '9', 'x-fail-status': '502' } });
    expect(r.status).toBe(502);
    const after = await counts('502', 'URX');
    expect(after.tries - before.tries).toBe(4);
    expect(after.client - before.client).toBe(1);
  });

  it('replays the request body on a retry', async () => {
    const r = await local.http.send('reviews', { method: 'POST', body: 'x'.repeat(100_000), headers: { 'x-case': 'retry-5xx', 'x-fail-times': '1' } });
    expect(r.status).toBe(200);
    const echoed = JSON.parse(r.body) as { body: string; count: number };
    expect(echoed.body).toBe('x'.repeat(100_000));
  });

  it('attempts: 0 disables retries', async () => {
    const r = await local.http.send('reviews', { headers: { 'x-case': 'no-retry', 'x-fail-times': '1' } });
    expect(r.status).toBe(503);
  });

  it("without retries Istio's default applies: 503 is retried, 500 is not", async () => {
    const ok = await local.http.send('reviews', { headers: { 'x-fail-times': '2', 'x-fail-status': '503' } });
    expect(ok.status).toBe(200);
    const gaveUp = await local.http.send('reviews', { headers: { 'x-fail-times': '3', 'x-fail-status': '503' } });
    expect(gaveUp.status).toBe(503);
    const notRetried = await local.http.send('reviews', { headers: { 'x-fail-times': '1', 'x-fail-status': '500' } });
    expect(notRetried.status).toBe(500);
  });
});

describe('timeouts', () => {
  it('route timeout → 504 "upstream request timeout" with flag UT', async () => {
    const before = await counts('504', 'UT');
    const r = await local.http.send('reviews', { headers: { 'x-case': 'timeout', 'x-echo-delay': '10000' } });
    expect(r.status).toBe(504);
    expect(r.body).toBe('upstream request timeout');
    expect(r.ms).toBeGreaterThanOrEqual(290);
    // Loose (busy machines): only "well before the backend would have answered".
    expect(r.ms).toBeLessThan(9000);
    expect((await counts('504', 'UT')).client - before.client).toBe(1);
  });

  it('a response inside the timeout passes', async () => {
    const r = await local.http.send('reviews', { headers: { 'x-case': 'timeout', 'x-echo-delay': '10' } });
    expect(r.status).toBe(200);
  });

  it('perTryTimeout: each try times out and is retried (gateway-error), then 504 UT,URX', async () => {
    const before = await counts('504', 'UT,URX');
    const r = await local.http.send('reviews', { headers: { 'x-case': 'per-try', 'x-echo-delay': '10000' } });
    expect(r.status).toBe(504);
    // Three tries of 200 ms each, plus backoff; loose upper bound as above.
    expect(r.ms).toBeGreaterThanOrEqual(590);
    expect(r.ms).toBeLessThan(9000);
    expect((await counts('504', 'UT,URX')).client - before.client).toBe(1);
  });
});
