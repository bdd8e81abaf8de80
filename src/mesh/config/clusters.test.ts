import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../istio/types.js';
import { Admission } from './circuit-breaker.js';
import { createServiceRegistry, type Cluster, type ServiceRegistry } from './clusters.js';
import { createDiagnostics } from './diagnostics.js';
import { planWorkloads } from './workload-plan.js';

const rule = (subsets: string[], maxConnections?: number): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'default' },
  spec: {
    host: 'reviews',
    subsets: subsets.map((name) => ({ name, labels: { version: name } })),
    ...(maxConnections ? { trafficPolicy: { connectionPool: { tcp: { maxConnections }, http: { http1MaxPendingRequests: 1 } } } } : {}),
  },
});

function registry(dr: DestinationRule, previous?: ServiceRegistry): ServiceRegistry {
  const plans = planWorkloads({ virtualServices: [], destinationRules: [dr], backends: [], namespace: 'default' }, createDiagnostics());
  return createServiceRegistry(plans, (w) => [{ id: w.workload.name, host: '127.0.0.1', port: 20000, workload: w.workload, active: 0 }], undefined, previous);
}

const v1 = (r: ServiceRegistry) => r.resolve('reviews.default.svc.cluster.local', 'v1') as Cluster;
const pending = { admitted: () => {} };

describe('service registry: clusters rebuilt under the same name', () => {
  it("carry their counters on and keep their connections; gauges and limits are the new cluster's", () => {
    const first = registry(rule(['v1', 'v2'], 1));
    const old = v1(first);
    // One request on the connection, one queued, one refused.
    expect([old.breaker.admit(pending), old.breaker.admit(pending), old.breaker.admit(pending)]).toEqual([Admission.GO, Admission.QUEUED, Admission.OVERFLOW]);
    old.connections.opened();
    const second = registry(rule(['v1', 'v2'], 5), first);
    const next = v1(second);
    expect(next).not.toBe(old);
    expect(next.connections).toBe(old.connections);
    expect(next.stats.get('upstream_rq_pending_overflow')).toBe(1);
    expect(next.stats.get('upstream_rq_total')).toBe(2);
    expect(next.stats.get('upstream_cx_total')).toBe(1);
    expect(next.stats.get('upstream_cx_active')).toBe(1); // the kept connection is still open
    expect(next.stats.get('upstream_rq_active')).toBe(0);
    expect(next.stats.get('upstream_rq_pending_active')).toBe(0);
    // The new limits apply: five on connections now.
    for (let i = 0; i < 5; i++) expect(next.breaker.admit(pending)).toBe(Admission.GO);
    expect(next.stats.get('upstream_rq_total')).toBe(7);
    next.connections.opened();
    expect(next.stats.get('upstream_cx_total')).toBe(2);
  });

  it('count upstream_rq_pending_total as Envoy does: queued by the breaker or waiting for a new connection, carried across a rebuild', () => {
    const first = registry(rule(['v1'], 1));
    const old = v1(first);
    expect(old.stats.get('upstream_rq_pending_total')).toBe(0);
    // GO (no pending), QUEUED (pending), OVERFLOW (never pending).
    old.breaker.admit(pending);
    old.breaker.admit(pending);
    old.breaker.admit(pending);
    expect(old.stats.get('upstream_rq_pending_total')).toBe(1);
    // The upstream client found no idle connection for a request: it waited for a new one.
    old.connections.waitedForConnection++;
    expect(old.stats.get('upstream_rq_pending_total')).toBe(2);
    const next = v1(registry(rule(['v1'], 1), first));
    expect(next.stats.get('upstream_rq_pending_total')).toBe(2);
    next.connections.waitedForConnection++;
    expect(next.stats.get('upstream_rq_pending_total')).toBe(3);
  });

  it('start at 0 when the name is new, and forget clusters that are gone', () => {
    const all = (r: ServiceRegistry) => r.services.get('reviews.default.svc.cluster.local')!.all;
    const first = registry(rule(['v1', 'v2'], 1));
    const v2 = first.resolve('reviews.default.svc.cluster.local', 'v2') as Cluster;
    v2.breaker.admit(pending);
    all(first).breaker.admit(pending);
    const second = registry(rule(['v1', 'v3'], 1), first);
    const v3 = second.resolve('reviews.default.svc.cluster.local', 'v3') as Cluster;
    expect(v3.stats.get('upstream_rq_total')).toBe(0);
    expect(v3.connections).not.toBe(v2.connections);
    expect(second.resolve('reviews.default.svc.cluster.local', 'v2')).toMatch(/no subset "v2"/);
    // The whole-service cluster keeps its name across the change of subsets, and its counts.
    expect(all(second).stats.get('upstream_rq_total')).toBe(1);
  });
});
