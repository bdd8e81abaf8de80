/**
 * A cluster's circuit breaker and HTTP/1.1 request queue, with Envoy's semantics for the
 * thresholds Istio derives from `connectionPool`
 * (https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/circuit_breaking):
 * over HTTP/1.1 a connection carries one request at a time, so a request is dispatched when fewer
 * than `maxConnections` requests are on connections; otherwise the pool would need another
 * connection, which the breaker refuses (`upstream_cx_overflow`), and the request waits in the
 * pending queue if it holds fewer than `maxPendingRequests`, else it overflows
 * (`upstream_rq_pending_overflow`). A request beyond `maxRequests` (active + pending) overflows too,
 * counted under the same stat as Envoy does. Overflow = 503 with flag UO, never retried.
 * A waiting request is dispatched (FIFO) when a request on a connection finishes.
 * `maxRetries` bounds retries outstanding in the cluster (Envoy's max_retries): a retry is
 * outstanding from when it is scheduled until its try ends; a retry refused by the breaker is not
 * made (`upstream_rq_retry_overflow`) and the client gets the response or failure that asked for it.
 *
 * Envoy's breaker gauges are reported too, as Istio's sidecars report them (they set
 * `track_remaining`; the circuit-breaking task's stats show `circuit_breakers.default.remaining_pending`):
 * `circuit_breakers.default.{cx,rq_pending,rq,rq_retry}_open` (1 when at the limit) and
 * `remaining_{cx,pending,rq,retries}`, computed from the counts that decide admission here.
 *
 * Without a connectionPool (`limits` null) `admit` only bumps two numbers: no allocation per request.
 */
import type { ClusterStats } from '../endpoints/cluster-stats.js';
import { type PoolLimits, UNLIMITED } from './connection-pool.js';

/** A request that may wait in the pending queue. */
export interface PendingRequest {
  /** A connection slot is now held for it: dispatch. */
  admitted(): void;
}

/** What `admit` decided. */
export const Admission = { GO: 0, QUEUED: 1, OVERFLOW: 2 } as const;

/** Circuit-breaking state of one cluster. */
export class CircuitBreaker {
  /** Requests on connections (upstream_rq_active; one connection each over HTTP/1.1). */
  active = 0;
  /** Requests sent or queued (upstream_rq_total). */
  total = 0;
  /** Requests waiting for a connection (upstream_rq_pending_active). */
  private readonly queue: PendingRequest[] = [];
  private pendingOverflow = 0;
  /** Requests the breaker queued (its part of upstream_rq_pending_total). */
  queuedTotal = 0;
  private cxOverflow = 0;
  private retries = 0;
  private retriesTotal = 0;
  private retryOverflow = 0;
  private retrySuccesses = 0;

  /** `limits`: null = no connectionPool (no limit, no queue). Registers its stats on `stats`. */
  constructor(readonly limits: PoolLimits | null, stats: ClusterStats) {
    stats.read('upstream_rq_total', () => this.total);
    stats.read('upstream_rq_active', () => this.active);
    stats.read('upstream_rq_pending_active', () => this.queue.length);
    stats.read('upstream_rq_pending_overflow', () => this.pendingOverflow);
    stats.read('upstream_cx_overflow', () => this.cxOverflow);
    stats.read('upstream_rq_retry', () => this.retriesTotal);
    stats.read('upstream_rq_retry_overflow', () => this.retryOverflow);
    stats.read('upstream_rq_retry_success', () => this.retrySuccesses);
    // Istio's defaults when no connectionPool is set: every limit 2^32-1.
    const l = limits ?? { maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: UNLIMITED };
    const breaker = (name: string, used: () => number, max: number) => {
      stats.read(`circuit_breakers.default.${name}_open`, () => (used() >= max ? 1 : 0));
    };
    const remaining = (name: string, used: () => number, max: number) => {
      stats.read(`circuit_breakers.default.remaining_${name}`, () => Math.max(0, max - used()));
    };
    const onConnections = () => this.active;
    const pending = () => this.queue.length;
    const requests = () => this.active + this.queue.length;
    const retries = () => this.retries;
    breaker('cx', onConnections, l.maxConnections);
    breaker('rq_pending', pending, l.maxPendingRequests);
    breaker('rq', requests, l.maxRequests);
    breaker('rq_retry', retries, l.maxRetries);
    remaining('cx', onConnections, l.maxConnections);
    remaining('pending', pending, l.maxPendingRequests);
    remaining('rq', requests, l.maxRequests);
    remaining('retries', retries, l.maxRetries);
  }

  /** Asks for a slot for `r`: GO (held now), QUEUED (`r.admitted()` later) or OVERFLOW. */
  admit(r: PendingRequest): number {
    const l = this.limits;
    if (l === null) {
      this.active++;
      this.total++;
      return Admission.GO;
    }
    if (this.active + this.queue.length >= l.maxRequests) {
      this.pendingOverflow++;
      return Admission.OVERFLOW;
    }
    if (this.active < l.maxConnections) {
      this.active++;
      this.total++;
      return Admission.GO;
    }
    this.cxOverflow++;
    if (this.queue.length >= l.maxPendingRequests) {
      this.pendingOverflow++;
      return Admission.OVERFLOW;
    }
    this.total++;
    this.queuedTotal++;
    this.queue.push(r);
    return Admission.QUEUED;
  }

  /** A request left its connection: the slot goes to the oldest waiting request, if any. */
  release(): void {
    const next = this.queue.length ? this.queue.shift() : undefined;
    if (next) next.admitted();
    else this.active--;
  }

  /** Asks to schedule a retry; false (counted as a retry overflow) when `maxRetries` are outstanding. */
  startRetry(): boolean {
    if (this.limits !== null && this.retries >= this.limits.maxRetries) {
      this.retryOverflow++;
      return false;
    }
    this.retries++;
    this.retriesTotal++;
    return true;
  }

  /**
   * A retried request got a response that is not retried again (Envoy's upstream_rq_retry_success:
   * its RetryStateImpl counts one when a retry was made and the next decision is "no retry").
   */
  retrySucceeded(): void {
    this.retrySuccesses++;
  }

  /** A retry's try ended (or its request did). */
  endRetry(): void {
    this.retries--;
  }

  /** A waiting request gave up (client gone, route timeout); false if it was not waiting. */
  withdraw(r: PendingRequest): boolean {
    const i = this.queue.indexOf(r);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }
}
