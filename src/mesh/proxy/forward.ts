/**
 * Forwarding one request to its chosen cluster with Envoy's router semantics: an endpoint per try
 * from the cluster's load balancer (avoiding endpoints already tried), the retry policy with
 * jittered backoff, the per-try timeout and the route timeout (504 UT). The route timeout starts
 * with the first try — after any injected delay, as Envoy's fault filter runs before the router —
 * and covers the wait for response headers; the body then streams through. A retried try's response
 * is drained and discarded; only the final response reaches the client. Every try that got a
 * response is recorded as reporter="destination" (retries count separately, as in Istio).
 *
 * `Forwarding` is a class on purpose: it is the per-request state and the owner of its tries, so
 * the hot path allocates one object instead of a dozen closures (see upstream.ts).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { BodySink, ProxyResponse } from './proxy-io.js';
import type { CompiledRoute, RouteTarget } from '../config/compile-route.js';
import { Admission, type PendingRequest } from '../config/circuit-breaker.js';
import type { Endpoint } from '../endpoints/endpoint.js';
import type { Exchange } from './exchange.js';
import { applyHeaderOps, type HeaderMap } from '../config/header-ops.js';
import { Flag, LocalBody, sendLocal } from './local-reply.js';
import type { IstioMetrics } from '../telemetry/metrics.js';
import type { RequestBody } from './request-body.js';
import { type AttemptOutcome, backoffMs, type CompiledRetry, isRetriable } from '../config/retry.js';
import type { TryOwner, UpstreamClient, UpstreamFailure, UpstreamTry } from './upstream.js';

/** What stays the same for every request of a proxy. */
export interface ForwardContext {
  /** Connection pools to the endpoints. */
  upstream: UpstreamClient;
  /** Where tries are recorded (reporter="destination"). */
  metrics: IstioMetrics;
  /** Uniform random source (load balancing, backoff jitter). */
  random: () => number;
  /** Monotonic clock, ms. */
  now: () => number;
}


/** Per-request forwarding state; `start()` sends the first try. */
export class Forwarding implements TryOwner, PendingRequest {
  private retries = 0;
  /** In the cluster's pending queue (connectionPool limits), waiting for a connection. */
  private waiting = false;
  /** A retry of this request is outstanding in the cluster's breaker (`maxRetries`). */
  private retryHeld = false;
  private done = false;
  private current: UpstreamTry | undefined;
  private tried: Endpoint[] | undefined;
  private perTryTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private routeTimer: NodeJS.Timeout | undefined;
  private readonly policy: CompiledRetry | null;
  /** The request's hash (consistent hashing only). */
  hashKey: bigint | undefined = undefined;
  /** A Set-Cookie value to add to the upstream response (a generated hash cookie). */
  setCookie: string | undefined = undefined;

  /** State for one request: where it goes (`route`, `target`) and what is sent (method, path, headers, body). */
  constructor(
    private readonly ctx: ForwardContext,
    private readonly res: ProxyResponse,
    private readonly ex: Exchange,
    private readonly route: CompiledRoute,
    private readonly target: RouteTarget,
    private readonly method: string,
    /** Path with query, after rewrites. */
    private readonly path: string,
    /** Headers to send (already rewritten). */
    private readonly headers: OutgoingHttpHeaders,
    private readonly body: RequestBody,
  ) {
    this.policy = route.retry;
  }

  /** Arms the route timeout and sends the first try. */
  start(): void {
    this.ex.forwarding = this;
    if (this.route.timeoutMs > 0) this.routeTimer = setTimeout(onRouteTimeout, this.route.timeoutMs, this);
    this.attempt();
  }

  /** Abandons upstream work (the client went away). */
  cancel(): void {
    this.done = true;
    this.stopTimers();
    this.leaveQueue();
    this.abortCurrent();
  }

  /**
   * Starts one try (the first, or a retry after its backoff) once the cluster's circuit breaker
   * gives it a connection slot: now, after waiting in the pending queue, or never (503 UO).
   */
  attempt(): void {
    this.backoffTimer = undefined;
    if (this.done) return;
    const a = this.target.cluster.breaker.admit(this);
    if (a === Admission.GO) return this.dispatch();
    if (a === Admission.QUEUED) return void (this.waiting = true);
    this.finishLocal(503, LocalBody.UO, Flag.UPSTREAM_OVERFLOW, undefined, OVERLOADED);
  }

  /** The breaker handed this waiting request a connection slot. */
  admitted(): void {
    this.waiting = false;
    // Already counted in upstream_rq_pending_total when queued: in Envoy it stays one pending
    // stream even if it then waits for a new connection (the send acquires synchronously).
    const connections = this.target.cluster.connections;
    const waited = connections.waitedForConnection;
    this.dispatch();
    connections.waitedForConnection = waited;
  }

  /** Sends a try; a slot is held and passes to the try in `onTryStart`. */
  private dispatch(): void {
    const ep = this.target.cluster.lb.pick(this.ctx.random, this.tried, this.hashKey);
    if (!ep) {
      this.target.cluster.breaker.release();
      return this.finishLocal(503, LocalBody.UH, Flag.NO_HEALTHY_UPSTREAM, undefined);
    }
    if (this.policy && this.policy.numRetries > 0 && this.policy.avoidPreviousHosts) (this.tried ??= []).push(ep);
    this.ctx.upstream.send(ep, this.target.cluster.connections, this.method, this.path, this.headers, this.body, true, this);
  }

  /** A try is about to be dispatched: it becomes the current one; arms its per-try timer. */
  onTryStart(t: UpstreamTry): void {
    t.startedAt = this.ctx.now();
    t.holdsSlot = true;
    const limits = this.target.cluster.breaker.limits;
    if (limits !== null) {
      t.maxRequestsPerConnection = limits.maxRequestsPerConnection;
      t.idleTimeoutMs = limits.idleTimeoutMs;
    }
    this.current = t;
    if (this.policy && this.policy.perTryTimeoutMs > 0) this.perTryTimer = setTimeout(onPerTryTimeout, this.policy.perTryTimeoutMs, this, t);
  }

  /** Headers of a try: retry (drain it) or respond to the client (stream it). */
  onTryResponse(t: UpstreamTry, status: number, headers: IncomingHttpHeaders): BodySink | undefined {
    if (t !== this.current) return undefined;
    this.clearPerTry();
    this.endRetry();
    this.target.cluster.lb.outlier?.report(t.endpoint, status);
    const o: AttemptOutcome = this.policy ? outcomeOf(headers, status) : { kind: 'response', status };
    if (this.canRetry(o)) {
      // Drain this response (keeps the connection) and try again after the backoff.
      this.retryLater();
      return undefined;
    }
    if (this.exhausted(o)) this.ex.addFlag(Flag.RETRY_LIMIT_EXCEEDED);
    else if (this.retries > 0 && !isRetriable(this.policy!, o)) this.target.cluster.breaker.retrySucceeded();
    return this.respond(status, headers, t.endpoint);
  }

  /** A try's body ended: record it as reporter="destination"; a cut body cuts the client's too. */
  onTryDone(t: UpstreamTry, complete: boolean): void {
    this.releaseSlot(t);
    if (complete) {
      const m = this.ctx.metrics;
      m.record(m.labelsFor('destination', t.endpoint.workload), t.status, Flag.NONE, this.ctx.now() - t.startedAt);
    } else if (t.streaming) this.res.destroy();
  }

  /** A try failed before headers: retry, or answer 503 UF / UC. */
  onTryFailure(t: UpstreamTry, kind: UpstreamFailure): void {
    this.releaseSlot(t);
    if (t !== this.current || this.done) return;
    this.clearPerTry();
    this.endRetry();
    // Envoy maps a local connect failure or reset to 503 for outlier detection (no origin split in Istio's default).
    this.target.cluster.lb.outlier?.report(t.endpoint, 503);
    const o: AttemptOutcome = { kind };
    if (this.canRetry(o)) return this.retryLater();
    const flag = kind === 'connect-failure' ? Flag.UPSTREAM_CONNECT_FAILURE : Flag.UPSTREAM_CONNECTION_TERMINATION;
    this.finishLocal(503, kind === 'connect-failure' ? LocalBody.UF : LocalBody.UC, flag, this.exhausted(o) ? Flag.RETRY_LIMIT_EXCEEDED : undefined);
  }

  /** The per-try timer fired for `t`. */
  perTryTimedOut(t: UpstreamTry): void {
    this.perTryTimer = undefined;
    if (t !== this.current || this.done) return;
    this.abortCurrent();
    this.endRetry();
    this.target.cluster.lb.outlier?.report(t.endpoint, 504);
    const o: AttemptOutcome = { kind: 'per-try-timeout' };
    if (this.canRetry(o)) return this.retryLater();
    this.finishLocal(504, LocalBody.UT, Flag.UPSTREAM_TIMEOUT, this.exhausted(o) ? Flag.RETRY_LIMIT_EXCEEDED : undefined);
  }

  /** The route timer fired. */
  routeTimedOut(): void {
    this.routeTimer = undefined;
    if (this.done) return;
    this.leaveQueue();
    this.abortCurrent();
    this.finishLocal(504, LocalBody.UT, Flag.UPSTREAM_TIMEOUT, undefined);
  }

  /** The policy allows a retry for `o` and the cluster's breaker lets one more retry out. */
  private canRetry(o: AttemptOutcome): boolean {
    const p = this.policy;
    if (!(p !== null && this.retries < p.numRetries && !this.done && isRetriable(p, o) && this.body.replayable)) return false;
    return (this.retryHeld = this.target.cluster.breaker.startRetry());
  }

  private endRetry(): void {
    if (!this.retryHeld) return;
    this.retryHeld = false;
    this.target.cluster.breaker.endRetry();
  }

  private exhausted(o: AttemptOutcome): boolean {
    const p = this.policy;
    return p !== null && p.numRetries > 0 && this.retries >= p.numRetries && isRetriable(p, o);
  }

  private retryLater(): void {
    this.retries++;
    this.backoffTimer = setTimeout(onBackoff, backoffMs(this.policy!, this.retries, this.ctx.random), this);
  }

  private respond(status: number, upstreamHeaders: IncomingHttpHeaders, ep: Endpoint): ProxyResponse | undefined {
    this.done = true;
    this.stopTimers();
    this.ex.code = status;
    this.ex.dest = ep.workload;
    // The upstream parser already left out hop-by-hop headers; the object is ours to change.
    const headers = upstreamHeaders as HeaderMap;
    if (this.target.responseHeaders) applyHeaderOps(headers, this.target.responseHeaders);
    if (this.route.responseHeaders) applyHeaderOps(headers, this.route.responseHeaders);
    if (this.setCookie !== undefined) addSetCookie(headers as IncomingHttpHeaders, this.setCookie);
    try {
      this.res.writeHead(status, headers as OutgoingHttpHeaders);
    } catch {
      // Headers Node refuses to write (should not happen after llhttp parsed them): drain, answer 502.
      this.ex.code = 502;
      sendLocal(this.res, 502, 'upstream sent response headers the proxy cannot forward');
      return undefined;
    }
    return this.res;
  }

  /** Gives a try's connection slot back to the cluster (once). */
  private releaseSlot(t: UpstreamTry): void {
    if (!t.holdsSlot) return;
    t.holdsSlot = false;
    this.target.cluster.breaker.release();
  }

  private abortCurrent(): void {
    const t = this.current;
    if (!t) return;
    t.abort();
    this.releaseSlot(t);
  }

  private leaveQueue(): void {
    if (this.waiting) this.target.cluster.breaker.withdraw(this);
    this.waiting = false;
  }

  private finishLocal(status: number, body: string, flag: string, flag2: string | undefined, extra?: Record<string, string>): void {
    this.done = true;
    this.stopTimers();
    this.ex.code = status;
    this.ex.addFlag(flag);
    if (flag2) this.ex.addFlag(flag2);
    if (this.ex.dest === undefined) this.ex.dest = this.target.cluster.service.ref;
    sendLocal(this.res, status, body, extra);
  }

  private clearPerTry(): void {
    if (this.perTryTimer) {
      clearTimeout(this.perTryTimer);
      this.perTryTimer = undefined;
    }
  }

  private stopTimers(): void {
    this.endRetry();
    this.clearPerTry();
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    if (this.routeTimer) clearTimeout(this.routeTimer);
    this.backoffTimer = this.routeTimer = undefined;
  }
}

/** Envoy's header on a circuit-breaker overflow (Istio does not suppress Envoy headers by default). */
const OVERLOADED = { 'x-envoy-overloaded': 'true' };

// Timer callbacks take their state as arguments: no closure per request.
function onRouteTimeout(f: Forwarding): void {
  f.routeTimedOut();
}
function onPerTryTimeout(f: Forwarding, t: UpstreamTry): void {
  f.perTryTimedOut(t);
}
function onBackoff(f: Forwarding): void {
  f.attempt();
}

function addSetCookie(headers: IncomingHttpHeaders, cookie: string): void {
  const have = headers['set-cookie'];
  headers['set-cookie'] = have === undefined ? [cookie] : [...have, cookie];
}

function outcomeOf(headers: IncomingHttpHeaders, status: number): AttemptOutcome {
  const g = headers['grpc-status'];
  const rateLimited = headers['x-envoy-ratelimited'] !== undefined;
  if (g === undefined && !rateLimited) return { kind: 'response', status };
  const grpcStatus = g === undefined ? undefined : Number(g);
  return grpcStatus === undefined ? { kind: 'response', status, rateLimited } : { kind: 'response', status, grpcStatus, rateLimited };
}
