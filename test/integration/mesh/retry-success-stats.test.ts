/**
 * The local mesh's `upstream_rq_retry_success` (GET /stats), counted as Envoy's RetryStateImpl
 * counts it: a request that was retried and whose next try's answer is not retried again. Two
 * services with deterministic replicas make the counts exact: `half` has one replica that always
 * answers 500 and one that never fails (a retry prefers the untried replica), `broken` fails on
 * every replica (retries, never a success).
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { VirtualService } from '../../../src/istio/types.js';
import { parseClusterStats } from '../../../src/runner/mesh-counters.js';
import { instant, useMesh } from '../../support/mesh.js';

const vs = (host: string): VirtualService => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: host, namespace: 'default' },
  spec: { hosts: [host], http: [{ route: [{ destination: { host } }], retries: { attempts: 2, retryOn: '5xx' } }] },
});

const local = useMesh(() => ({
  virtualServices: [vs('half'), vs('broken')],
  destinationRules: [],
  backends: [
    instant('half', '', { replicas: 2, demo: { latency: { median: 0, p99: 0 }, errorRate: 0, failing: { replicas: 1, errorRate: 1, errorStatus: 500 } } }),
    instant('broken', '', { demo: { latency: { median: 0, p99: 0 }, errorRate: 1, errorStatus: 503 } }),
  ],
}));

async function retryStats(cluster: string): Promise<{ retries: number; successes: number }> {
  const r = await request(`${local.mesh.adminUrl}/stats`);
  const s = parseClusterStats(await r.body.text()).filter((x) => x.cluster === cluster);
  const get = (stat: string) => s.find((x) => x.stat === stat)?.value ?? 0;
  return { retries: get('upstream_rq_retry'), successes: get('upstream_rq_retry_success') };
}

describe('upstream_rq_retry_success', () => {
  it('counts each request whose retry got an answer not retried again; every client request succeeds', async () => {
    const replies = await local.http.many(40, 4, () => ['half']);
    expect(replies.map((r) => r.status)).toEqual(Array(40).fill(200));
    const { retries, successes } = await retryStats('outbound|80||half.default.svc.cluster.local');
    // Round robin sends about half the first tries to the failing replica; each is retried once, on the other.
    expect(retries).toBeGreaterThan(0);
    expect(successes).toBe(retries);
  });

  it('counts retries but no success when every try fails (the last answer is URX, retries exhausted)', async () => {
    const replies = await local.http.many(10, 2, () => ['broken']);
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(503));
    expect(await retryStats('outbound|80||broken.default.svc.cluster.local')).toEqual({ retries: 20, successes: 0 });
  });
});
