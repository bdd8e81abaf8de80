import { describe, expect, it } from 'vitest';
import { ClusterStats } from '../endpoints/cluster-stats.js';
import { Admission, CircuitBreaker, type PendingRequest } from './circuit-breaker.js';
import { UNLIMITED } from './connection-pool.js';

const waiter = () => {
  const w = { admittedCount: 0, admitted: () => void w.admittedCount++ };
  return w as PendingRequest & { admittedCount: number };
};

describe('circuit breaker', () => {
  it('without limits admits everything and only counts', () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker(null, stats);
    for (let i = 0; i < 1000; i++) expect(b.admit(waiter())).toBe(Admission.GO);
    b.release();
    expect(stats.get('upstream_rq_total')).toBe(1000);
    expect(stats.get('upstream_rq_active')).toBe(999);
    expect(stats.get('upstream_rq_pending_overflow')).toBe(0);
  });

  it("Istio's task limits (1 connection, 1 pending): the third concurrent request overflows", () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker({ maxConnections: 1, maxPendingRequests: 1, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 }, stats);
    const [a, p, o] = [waiter(), waiter(), waiter()];
    expect(b.admit(a)).toBe(Admission.GO);
    expect(b.admit(p)).toBe(Admission.QUEUED);
    expect(b.admit(o)).toBe(Admission.OVERFLOW);
    expect(stats.get('upstream_rq_pending_overflow')).toBe(1);
    expect(stats.get('upstream_cx_overflow')).toBe(2);
    expect(stats.get('upstream_rq_pending_active')).toBe(1);
    // The first finishes: the waiting request gets its slot, the queue is free again.
    b.release();
    expect(p.admittedCount).toBe(1);
    expect(stats.get('upstream_rq_active')).toBe(1);
    expect(stats.get('upstream_rq_pending_active')).toBe(0);
    expect(b.admit(waiter())).toBe(Admission.QUEUED);
    expect(stats.get('upstream_rq_total')).toBe(3);
  });

  it('serves the queue in order and forgets withdrawn requests', () => {
    const b = new CircuitBreaker({ maxConnections: 1, maxPendingRequests: 3, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 }, new ClusterStats());
    const ws = [waiter(), waiter(), waiter(), waiter()];
    for (const w of ws) b.admit(w);
    expect(b.withdraw(ws[1]!)).toBe(true);
    expect(b.withdraw(ws[1]!)).toBe(false);
    b.release();
    expect(ws.map((w) => w.admittedCount)).toEqual([0, 0, 1, 0]);
    b.release();
    b.release();
    expect(ws.map((w) => w.admittedCount)).toEqual([0, 0, 1, 1]);
    expect(b.active).toBe(0);
  });

  it('maxRequests bounds requests on connections plus waiting ones, counted as pending overflow', () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker({ maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: 2, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 }, stats);
    expect(b.admit(waiter())).toBe(Admission.GO);
    expect(b.admit(waiter())).toBe(Admission.GO);
    expect(b.admit(waiter())).toBe(Admission.OVERFLOW);
    expect(stats.get('upstream_rq_pending_overflow')).toBe(1);
    expect(stats.get('upstream_cx_overflow')).toBe(0);
  });

  it('maxRetries bounds retries outstanding at once, counting refusals as retry overflows', () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker({ maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: 1, maxRequestsPerConnection: 0, idleTimeoutMs: 0 }, stats);
    expect(b.startRetry()).toBe(true);
    expect(b.startRetry()).toBe(false);
    b.endRetry();
    expect(b.startRetry()).toBe(true);
    expect(stats.get('upstream_rq_retry')).toBe(2);
    expect(stats.get('upstream_rq_retry_overflow')).toBe(1);
    // Without a connectionPool retries are only counted.
    const free = new CircuitBreaker(null, new ClusterStats());
    for (let i = 0; i < 100; i++) expect(free.startRetry()).toBe(true);
  });

  it("reports Envoy's breaker gauges: open at the limit, remaining until it", () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker({ maxConnections: 1, maxPendingRequests: 1, maxRequests: UNLIMITED, maxRetries: 2, maxRequestsPerConnection: 0, idleTimeoutMs: 0 }, stats);
    const cb = (name: string) => stats.get(`circuit_breakers.default.${name}`);
    expect([cb('cx_open'), cb('rq_pending_open'), cb('remaining_cx'), cb('remaining_pending'), cb('remaining_retries')]).toEqual([0, 0, 1, 1, 2]);
    b.admit(waiter());
    expect([cb('cx_open'), cb('remaining_cx'), cb('rq_pending_open')]).toEqual([1, 0, 0]);
    b.admit(waiter());
    expect([cb('rq_pending_open'), cb('remaining_pending'), cb('rq_open'), cb('remaining_rq')]).toEqual([1, 0, 0, UNLIMITED - 2]);
    expect(b.startRetry() && b.startRetry()).toBe(true);
    expect([cb('rq_retry_open'), cb('remaining_retries')]).toEqual([1, 0]);
    b.endRetry();
    b.release();
    b.release();
    expect([cb('cx_open'), cb('rq_pending_open'), cb('rq_retry_open'), cb('remaining_cx'), cb('remaining_pending'), cb('remaining_retries')]).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it("without a connectionPool the gauges show Istio's unlimited defaults", () => {
    const stats = new ClusterStats();
    const b = new CircuitBreaker(null, stats);
    b.admit(waiter());
    expect(stats.get('circuit_breakers.default.remaining_cx')).toBe(UNLIMITED - 1);
    expect(stats.get('circuit_breakers.default.cx_open')).toBe(0);
  });
});
