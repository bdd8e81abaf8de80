/**
 * Envoy cluster stats on the admin port across a live DestinationRule change, and the connection
 * gauge: `upstream_cx_active` / `upstream_cx_total` count each cluster's own upstream connections;
 * a rebuilt cluster keeps its counters (Envoy keeps a cluster's stats by name across a cluster
 * update), and a change of `connectionPool` alone takes effect.
 */
import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../../src/istio/types.js';
import { adminStats, clusterStat, instant, useMesh } from '../../support/mesh.js';

/** Polls an async condition every 20 ms for up to 2 s. */
async function waitFor(cond: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const CLUSTER = 'outbound|80||httpbin.default.svc.cluster.local';
const rule = (connectionPool: Record<string, unknown>): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'httpbin', namespace: 'default' },
  spec: { host: 'httpbin', trafficPolicy: { connectionPool } },
});
const backends = [instant('httpbin', '', { demo: { latency: { median: 200, p99: 200 }, errorRate: 0 } })];
const local = useMesh(() => ({ virtualServices: [], destinationRules: [rule({ tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } })], backends }));
const stat = async (name: string) => clusterStat(await adminStats(local.mesh), CLUSTER, name);

describe('cluster stats across a live DestinationRule change', () => {
  it('maxConnections 1: the queued request reuses the one connection (upstream_cx_active 1, upstream_cx_total 1)', async () => {
    const replies = await local.http.many(3, 3, () => ['httpbin']);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 503]);
    expect([await stat('upstream_cx_active'), await stat('upstream_cx_total'), await stat('upstream_rq_pending_overflow')]).toEqual([1, 1, 1]);
  });

  it('a rebuilt cluster keeps its counters, and the new connectionPool applies', async () => {
    await local.mesh.applyConfig({ virtualServices: [], destinationRules: [rule({ tcp: { maxConnections: 2 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } })] });
    expect([await stat('upstream_rq_pending_overflow'), await stat('upstream_rq_total'), await stat('upstream_cx_total')]).toEqual([1, 2, 1]);
    // Two on connections and one pending now: of four at once exactly one is refused.
    const replies = await local.http.many(4, 4, () => ['httpbin']);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 503]);
    expect(await stat('upstream_rq_pending_overflow')).toBe(2);
    expect(await stat('upstream_rq_total')).toBe(5);
    // maxRequestsPerConnection 1: every try had a new connection, closed after it (the idle one
    // kept from before the change had carried two requests already: closed, not reused).
    expect(await stat('upstream_cx_total')).toBe(1 + 3);
    expect(await waitFor(async () => (await stat('upstream_cx_active')) === 0)).toBe(true);
  });
});
