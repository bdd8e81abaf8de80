/**
 * Istio's "Circuit Breaking" task (https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/)
 * reproduced against the local mesh with the real fortio, the task's own client: its DestinationRule
 * (test/fixtures/istio-tasks/circuit-breaking.yaml), `fortio curl`, then `fortio load -c 2 -qps 0
 * -n 20` and `-c 3 -qps 0 -n 30`, and `upstream_rq_pending_overflow` read from the admin port's
 * Envoy stats. fortio reaches "httpbin:8000" through the mesh listener with that Host header (what
 * the task's sidecar receives); httpbin is a stand-in for its `/get` (test/fixtures/istio-tasks/httpbin.mjs)
 * answering after 5 ms.
 *
 * Tolerances, from the published numbers and Envoy's semantics (maxConnections 1 = one request on
 * the one HTTP/1.1 connection, http1MaxPendingRequests 1 = one waiting; a third is refused, 503 UO):
 * - -c 1: exact, no 503 — one closed-loop client never has two requests in the mesh.
 * - -c 2: exact, no 503. The task shows 3 of 20 (15%) and says istio-proxy "does allow for some
 *   leeway"; that leeway is Envoy's (several worker threads, the slot freed when the closed
 *   connection is torn down), not the limits': with one request on the connection and one waiting
 *   nothing exceeds them. The local mesh frees the slot as the response ends, before the client
 *   can send again, so its count is exact.
 * - -c 3: the 503 share is timing-dependent: whichever client arrives while one request is on the
 *   connection and one waits is refused, and a refused client comes back at once, so the share
 *   depends on how the three clients interleave, which the scheduler decides. The task shows 19 of
 *   30 (63.3%; an earlier version of the page 11 of 30, 36.7%). Locally, on an idle machine, the
 *   same client is refused every time (10 of 30 in almost every run, up to 16 seen); with both CPUs
 *   saturated the interleaving turns random and 10–24 of 30 were seen over 30 runs (2026-12-07).
 *   Band: 10%–90% (3 to 27 of 30): the first calls of the third client at least, and at least one
 *   success per client's worth of calls at most; the exact checks below carry the semantics.
 * - Exact whatever the share: every 503 is an overflow (body, `x-envoy-overloaded`, flag UO in
 *   `istio_requests_total`), `upstream_rq_pending_overflow` grows by exactly the number of 503s, and
 *   outlier detection (consecutive5xxErrors: 1, maxEjectionPercent: 100) ejects nothing: an overflow
 *   never reaches a host, so it is not a host's 5xx (else the one host would be ejected for 3 minutes
 *   and every later call would be 503 UH).
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { callsWith, fortioLoad, requireFortio } from '../../support/fortio.js';
import { istioTask } from '../../support/istio-tasks.js';
import { adminStats, clusterStat, manifests, scrape, useMesh } from '../../support/mesh.js';

const fortio = requireFortio('the Istio circuit-breaking task test');
const CLUSTER = 'outbound|80||httpbin.default.svc.cluster.local';
const SERVICE = 'httpbin.default.svc.cluster.local';

describe.skipIf(!fortio)("Istio task: circuit breaking (fortio against httpbin's DestinationRule)", () => {
  const local = useMesh(() => ({
    ...manifests(istioTask('circuit-breaking.yaml')),
    backends: [{ host: 'httpbin', subset: '', replicas: 1, readyPath: '/healthz', command: [process.execPath, istioTask('httpbin.mjs')[0]!, '5'] }],
  }));
  const url = () => `${local.mesh.url}/get`;
  const HOST = ['-H', 'Host: httpbin:8000'];

  /** One `fortio load -c <c> -qps 0 -n <n>` run and what the mesh counted meanwhile. */
  async function load(c: number, n: number) {
    const s0 = await adminStats(local.mesh);
    const uo0 = sumSamples(await scrape(local.mesh), 'istio_requests_total', { reporter: 'source', destination_service: SERVICE, response_code: '503', response_flags: 'UO' });
    const result = await fortioLoad(fortio!, ['-c', String(c), '-qps', '0', '-n', String(n), ...HOST], url());
    const s1 = await adminStats(local.mesh);
    const samples = await scrape(local.mesh);
    const delta = (stat: string) => clusterStat(s1, CLUSTER, stat) - clusterStat(s0, CLUSTER, stat);
    return {
      ok: callsWith(result, 200),
      refused: callsWith(result, 503),
      calls: Object.values(result.RetCodes).reduce((a, b) => a + b, 0),
      overflow: delta('upstream_rq_pending_overflow'),
      ejections: clusterStat(s1, CLUSTER, 'outlier_detection.ejections_enforced_total'),
      uo: sumSamples(samples, 'istio_requests_total', { reporter: 'source', destination_service: SERVICE, response_code: '503', response_flags: 'UO' }) - uo0,
      active: clusterStat(s1, CLUSTER, 'upstream_rq_active') + clusterStat(s1, CLUSTER, 'upstream_rq_pending_active'),
    };
  }

  it('fortio curl http://httpbin:8000/get: one call succeeds with httpbin\'s JSON', async () => {
    // fortio curl exits 0 only on a 2xx; -quiet leaves the body alone on stdout.
    const r = await execa(fortio!, ['curl', '-quiet', ...HOST, url()], { reject: false });
    expect(r.exitCode).toBe(0);
    const body = JSON.parse(r.stdout) as { headers: Record<string, string>; url: string };
    expect(body.headers['Host']).toBe('httpbin:8000');
    expect(body.headers['User-Agent']).toMatch(/^fortio\.org\/fortio-/);
    expect(body.headers['X-Request-Id']).toBeTruthy(); // added by the mesh, as by Envoy
    expect(body.url).toBe('http://httpbin:8000/get');
  });

  it('-c 1 -qps 0 -n 10: one connection never trips the breaker', async () => {
    const r = await load(1, 10);
    expect(r).toMatchObject({ ok: 10, refused: 0, overflow: 0, uo: 0 });
  });

  it('-c 2 -qps 0 -n 20: all 20 pass (one on the connection, one pending; no leeway needed)', async () => {
    const r = await load(2, 20);
    expect(r).toMatchObject({ ok: 20, refused: 0, overflow: 0, uo: 0, ejections: 0 });
  });

  it('-c 3 -qps 0 -n 30: a band of 503s (10%–90%), each one a pending overflow counted in upstream_rq_pending_overflow', async () => {
    const r = await load(3, 30);
    expect(r.calls).toBe(30);
    expect(r.ok + r.refused).toBe(30); // nothing but 200 and 503
    expect(r.refused).toBeGreaterThanOrEqual(3);
    expect(r.refused).toBeLessThanOrEqual(27);
    // Exact: the counter the task reads equals the 503s fortio saw, and so does Istio's UO metric.
    expect(r.overflow).toBe(r.refused);
    expect(r.uo).toBe(r.refused);
    // Overflows are not host errors: outlier detection ejected nothing, nothing is left in flight.
    expect(r.ejections).toBe(0);
    expect(r.active).toBe(0);
  });

  it("the task's `grep pending` of the stats: Envoy's names, at rest after the runs", async () => {
    const s = await adminStats(local.mesh);
    const pending = [...s].filter(([k]) => k.startsWith(`cluster.${CLUSTER}.`) && k.includes('pending')).map(([k, v]) => [k.slice(`cluster.${CLUSTER}.`.length), v]);
    // The task shows these and also upstream_rq_pending_failure_eject and the high-priority
    // breaker, which the local mesh does not report (see src/mesh/README.md).
    expect(Object.fromEntries(pending)).toEqual({
      'circuit_breakers.default.remaining_pending': 1,
      'circuit_breakers.default.rq_pending_open': 0,
      upstream_rq_pending_active: 0,
      upstream_rq_pending_overflow: clusterStat(s, CLUSTER, 'upstream_rq_pending_overflow'),
      upstream_rq_pending_total: clusterStat(s, CLUSTER, 'upstream_rq_pending_total'),
    });
    expect(clusterStat(s, CLUSTER, 'upstream_rq_pending_overflow')).toBeGreaterThanOrEqual(3);
    // With one connection, -c 2 and -c 3 keep a request queued behind the one on the connection.
    expect(clusterStat(s, CLUSTER, 'upstream_rq_pending_total')).toBeGreaterThanOrEqual(1);
    expect(clusterStat(s, CLUSTER, 'upstream_rq_pending_total')).toBeLessThanOrEqual(clusterStat(s, CLUSTER, 'upstream_rq_total'));
  });

  it('after the overflows the host is still in service: -c 1 passes again, and the rule raised no warning', async () => {
    expect(await load(1, 5)).toMatchObject({ ok: 5, refused: 0 });
    expect(local.mesh.warnings).toEqual([]);
  });
});
