/**
 * Istio's "Request Timeouts" task (https://istio.io/latest/docs/tasks/traffic-management/request-timeouts/)
 * reproduced against the local mesh, step by step, with Bookinfo-shaped services that call each
 * other through the mesh (test/fixtures/istio-tasks/bookinfo-app.mjs: productpage → reviews v2 →
 * ratings, with Bookinfo's own application timeouts, 3 s and 10 s, and productpage's one retry).
 * The task's manifests are applied live as the task applies them (request-timeouts-step1/2.yaml).
 *
 * What the task says, and the tolerances used:
 * - With a 2 s delay on ratings the page works (stars shown) "but there is a 2 second delay": the
 *   call to reviews takes 2 s + the hops, asserted at most 2300 ms, and the page at least 2000 ms.
 * - With `timeout: 0.5s` on reviews the page "returns in about 1 second, instead of 2, and the
 *   reviews are unavailable", because productpage calls reviews twice. Envoy answers each call 504
 *   (flag UT) when the route timeout fires, 500 ms after the request reached it: each call is
 *   asserted in [490, 600] ms (±100 ms around the timeout, the lower edge 10 ms under for timer
 *   rounding between the two processes), the page at least 990 ms. The default retry policy Istio
 *   applies does not retry a timeout: exactly two reviews calls end UT.
 * - In both steps the page takes its calls to reviews plus at most PAGE_OVERHEAD_MS
 *   (test/support/istio-tasks.ts: the client → mesh → productpage hops, under load).
 */
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { applyTask, callsMs, PAGE_OVERHEAD_MS, productPage, useBookinfoTaskMesh } from '../../support/istio-tasks.js';
import { scrape } from '../../support/mesh.js';

const local = useBookinfoTaskMesh({ reviews: 3000, ratings: 10_000, ratingsV3: 2500 });
const reviewsUT = async () =>
  sumSamples(await scrape(local.mesh), 'istio_requests_total', { reporter: 'source', destination_service_name: 'reviews', response_code: '504', response_flags: 'UT' });

describe('Istio task: request timeouts (Bookinfo, reviews timeout 0.5 s, ratings delayed 2 s)', () => {
  it('before the task: productpage → reviews v1, fast, no ratings', async () => {
    const { page, reply } = await productPage(local);
    expect(page.reviews?.podname).toBe('reviews-v1');
    expect(page.reviews?.reviews[0]!.rating).toBeUndefined();
    expect(reply.ms).toBeLessThan(1000);
  });

  it('reviews → v2 and a 2 s ratings delay: the page works, with stars, about 2 s late', async () => {
    applyTask(local, 'request-timeouts-step1.yaml');
    const { page, reply } = await productPage(local);
    expect(page.reviews?.podname).toBe('reviews-v2');
    expect(page.reviews?.reviews.map((r) => r.rating?.stars)).toEqual([5, 4]);
    expect(page.reviewsCalls).toHaveLength(1);
    expect(page.reviewsCalls[0]!.ms).toBeLessThanOrEqual(2300);
    expect(reply.ms).toBeGreaterThanOrEqual(2000);
    expect(reply.ms).toBeLessThanOrEqual(callsMs(page) + PAGE_OVERHEAD_MS);
  });

  it('timeout: 0.5s on reviews: the page returns in about 1 s (two calls cut at 0.5 s, 504 UT), reviews unavailable', async () => {
    applyTask(local, 'request-timeouts-step2.yaml');
    const before = await reviewsUT();
    const { page, reply } = await productPage(local);
    expect(page.error).toBe('Sorry, product reviews are currently unavailable for this book.');
    expect(page.reviewsCalls.map((c) => c.status)).toEqual([504, 504]);
    for (const c of page.reviewsCalls) {
      expect(c.ms).toBeGreaterThanOrEqual(490);
      expect(c.ms).toBeLessThanOrEqual(600);
    }
    expect(reply.ms).toBeGreaterThanOrEqual(990);
    expect(reply.ms).toBeLessThanOrEqual(callsMs(page) + PAGE_OVERHEAD_MS);
    expect((await reviewsUT()) - before).toBe(2);
  });

  it('the timeout answer itself: 504 "upstream request timeout" after 0.5 s', async () => {
    const r = await local.http.send('reviews:9080', { path: '/reviews/0' });
    expect([r.status, r.body]).toEqual([504, 'upstream request timeout']);
    expect(r.ms).toBeGreaterThanOrEqual(490);
    expect(r.ms).toBeLessThanOrEqual(600);
  });
});
