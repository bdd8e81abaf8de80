/**
 * Istio's circuit-breaking task (https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/)
 * against the local mesh: a DestinationRule with `maxConnections: 1`, `http1MaxPendingRequests: 1`,
 * `maxRequestsPerConnection: 1` and a closed-model client (fortio -qps 0) of N concurrent
 * connections. Backends answer after a constant delay, so how many requests are in flight at once
 * is known and most assertions are exact rather than statistical.
 */
import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../../src/istio/types.js';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { adminStats, clusterStat, instant, scrape, useMesh } from '../../support/mesh.js';

const TASK_POOL = { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } };
const rule = (host: string, spec: Partial<DestinationRule['spec']>): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host, namespace: 'default' }, spec: { host, ...spec },
});
const slow = (host: string, subset: string, ms: number) => instant(host, subset, { demo: { latency: { median: ms, p99: ms }, errorRate: 0 } });

const local = useMesh(() => ({
  virtualServices: [{
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'flaky', namespace: 'default' },
    spec: { hosts: ['flaky'], http: [{ route: [{ destination: { host: 'flaky' } }], retries: { attempts: 3, retryOn: '5xx' } }] },
  }, {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' },
    spec: { hosts: ['reviews'], http: [
      { match: [{ headers: { 'x-subset': { exact: 'v2' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
    ] },
  }],
  destinationRules: [
    rule('httpbin', { trafficPolicy: { connectionPool: TASK_POOL } }),
    rule('fortio', { trafficPolicy: { connectionPool: TASK_POOL } }),
    rule('flaky', { trafficPolicy: { connectionPool: { http: { maxRetries: 1 } } } }),
    // Only v2 is limited: its subset policy replaces the (absent) top-level connectionPool.
    rule('reviews', { subsets: [
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } } },
    ] }),
  ],
  backends: [slow('httpbin', '', 300), slow('fortio', '', 30), slow('reviews', 'v1', 300), slow('reviews', 'v2', 300),
    instant('flaky', '', { demo: { latency: { median: 200, p99: 200 }, errorRate: 1 } })],
}));

const HTTPBIN = 'outbound|80||httpbin.default.svc.cluster.local';
const FORTIO = 'outbound|80||fortio.default.svc.cluster.local';

const stats = () => adminStats(local.mesh);
const stat = clusterStat;
const uoSource = async (service: string) =>
  sumSamples(await scrape(local.mesh), 'istio_requests_total', { reporter: 'source', response_code: '503', response_flags: 'UO', destination_service: service });

describe('circuit breaking (connectionPool)', () => {
  it('exactly N in flight: with 1 connection and 1 pending slot, of 3 concurrent requests exactly 1 overflows (503 UO)', async () => {
    const before = await stats();
    const uoBefore = await uoSource('httpbin.default.svc.cluster.local');
    // All three reach the proxy within a few ms, while the first one is still on its 300 ms backend:
    // one is on the connection, one waits (pending), the third finds the queue full.
    const replies = await local.http.many(3, 3, () => ['httpbin']);
    const over = replies.filter((r) => r.status === 503);
    expect(over).toHaveLength(1);
    expect(over[0]!.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    expect(over[0]!.headers['x-envoy-overloaded']).toBe('true');
    expect(over[0]!.ms).toBeLessThan(250); // refused at once, not after the backend's 300 ms
    const ok = replies.filter((r) => r.status === 200).map((r) => r.ms).sort((a, b) => a - b);
    expect(ok).toHaveLength(2);
    // The pending one waited for the first to finish: served one after the other on the single connection.
    expect(ok[1]!).toBeGreaterThanOrEqual(2 * 300 - 20);
    const after = await stats();
    expect(stat(after, HTTPBIN, 'upstream_rq_pending_overflow') - stat(before, HTTPBIN, 'upstream_rq_pending_overflow')).toBe(1);
    expect(stat(after, HTTPBIN, 'upstream_rq_total') - stat(before, HTTPBIN, 'upstream_rq_total')).toBe(2);
    expect(stat(after, HTTPBIN, 'upstream_rq_active')).toBe(0);
    expect(stat(after, HTTPBIN, 'upstream_rq_pending_active')).toBe(0);
    // Pending, as Envoy counts it: the first request waited for the cluster's first connection to be
    // established, the second in the breaker's queue (counted once, whichever connection it then gets); the refused one never was.
    expect(stat(after, HTTPBIN, 'upstream_rq_pending_total') - stat(before, HTTPBIN, 'upstream_rq_pending_total')).toBe(2);
    expect((await uoSource('httpbin.default.svc.cluster.local')) - uoBefore).toBe(1);
  });

  it('fortio -c 2: two connections never overflow (one on the connection, one pending)', async () => {
    const before = stat(await stats(), FORTIO, 'upstream_rq_pending_overflow');
    const replies = await local.http.many(20, 2, () => ['fortio']);
    // Deterministic here: a closed-model client with 2 connections never has more than 2 requests
    // in the mesh. (Istio's task shows a few 503s at -c 2 and says istio-proxy "allows for some
    // leeway"; the local mesh enforces the limits exactly, on one event loop.)
    expect(replies.map((r) => r.status)).toEqual(new Array(20).fill(200));
    expect(stat(await stats(), FORTIO, 'upstream_rq_pending_overflow')).toBe(before);
  });

  it('fortio -c 3: overflows are all 503 UO and agree exactly with the counter and the Istio metric', async () => {
    const s0 = await stats();
    const uoBefore = await uoSource('fortio.default.svc.cluster.local');
    const t0 = performance.now();
    const n = 30;
    const replies = await local.http.many(n, 3, () => ['fortio']);
    const elapsed = performance.now() - t0;
    const ok = replies.filter((r) => r.status === 200).length;
    const overflowed = replies.filter((r) => r.status === 503);
    expect(ok + overflowed.length).toBe(n);
    // The share is not fixed by the semantics (it depends on how fast a refused client comes back;
    // Istio's task shows roughly a third to two thirds with Envoy), so it is bounded, not pinned: at least one of the
    // three first requests overflows (they arrive together while the first is on its 30 ms backend),
    // and at least one request succeeds.
    expect(overflowed.length).toBeGreaterThanOrEqual(1);
    expect(ok).toBeGreaterThanOrEqual(1);
    // One connection: successful requests are served strictly one after the other (minus 5 ms of timer slack each).
    expect(elapsed).toBeGreaterThanOrEqual(ok * 25);
    const s1 = await stats();
    // Exact: every refused request is one pending overflow, one client 503 and one UO sample.
    expect(stat(s1, FORTIO, 'upstream_rq_pending_overflow') - stat(s0, FORTIO, 'upstream_rq_pending_overflow')).toBe(overflowed.length);
    expect(stat(s1, FORTIO, 'upstream_rq_total') - stat(s0, FORTIO, 'upstream_rq_total')).toBe(ok);
    expect((await uoSource('fortio.default.svc.cluster.local')) - uoBefore).toBe(overflowed.length);
  });

  it("a subset's connectionPool limits only that subset's cluster", async () => {
    const before = await stats();
    const [v1, v2] = await Promise.all([
      local.http.many(4, 4, () => ['reviews']),
      local.http.many(4, 4, () => ['reviews', { headers: { 'x-subset': 'v2' } }]),
    ]);
    expect(v1.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(v2.map((r) => r.status).sort()).toEqual([200, 200, 503, 503]);
    const after = await stats();
    const v2Cluster = 'outbound|80|v2|reviews.default.svc.cluster.local';
    const v1Cluster = 'outbound|80|v1|reviews.default.svc.cluster.local';
    expect(stat(after, v2Cluster, 'upstream_rq_pending_overflow') - stat(before, v2Cluster, 'upstream_rq_pending_overflow')).toBe(2);
    expect(stat(after, v1Cluster, 'upstream_rq_pending_overflow')).toBe(0);
    expect(stat(after, v1Cluster, 'upstream_rq_total') - stat(before, v1Cluster, 'upstream_rq_total')).toBe(4);
  });

  it('maxRetries 1: of 3 requests failing together only one is retried; the others get the 500 at once', async () => {
    const cluster = 'outbound|80||flaky.default.svc.cluster.local';
    const before = await stats();
    const urxBefore = sumSamples(await scrape(local.mesh), 'istio_requests_total', { reporter: 'source', response_code: '500', response_flags: 'URX' });
    // All three fail at ~200 ms within a few ms of each other: the first to ask holds the one retry
    // slot until its retry's try ends (~200 ms later), so the other two are refused and answered with
    // their 500 (no URX: their retries were not exhausted, they were never made). The first then
    // retries alone up to its 3 attempts and ends with URX.
    const replies = await local.http.many(3, 3, () => ['flaky']);
    expect(replies.map((r) => r.status)).toEqual([500, 500, 500]);
    const ms = replies.map((r) => r.ms).sort((a, b) => a - b);
    expect(ms[1]!).toBeLessThan(390);
    expect(ms[2]!).toBeGreaterThanOrEqual(4 * 200 - 20);
    const after = await stats();
    expect(stat(after, cluster, 'upstream_rq_retry_overflow') - stat(before, cluster, 'upstream_rq_retry_overflow')).toBe(2);
    expect(stat(after, cluster, 'upstream_rq_retry') - stat(before, cluster, 'upstream_rq_retry')).toBe(3);
    expect(stat(after, cluster, 'upstream_rq_total') - stat(before, cluster, 'upstream_rq_total')).toBe(3 + 3);
    const urx = sumSamples(await scrape(local.mesh), 'istio_requests_total', { reporter: 'source', response_code: '500', response_flags: 'URX' });
    expect(urx - urxBefore).toBe(1);
  });

  it("honours the task's connectionPool without any warning", () => {
    expect(local.mesh.warnings.filter((w) => w.path.includes('connectionPool'))).toEqual([]);
  });
});
