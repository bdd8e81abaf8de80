/**
 * Istio `HTTPRetry` → the retry decision, following Istio's translation to Envoy
 * (pilot/pkg/networking/core/route/retry/retry.go):
 * - no `retries` at all → Istio's DEFAULT policy: 2 retries on
 *   "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes" with 503 as the
 *   retriable status code, preferring endpoints not tried yet;
 * - `attempts: 0` → retries disabled;
 * - otherwise the default with `attempts` retries (Envoy's `num_retries`: attempts are RETRIES, the
 *   first try is extra), and `retryOn` / `perTryTimeout` replacing the defaults when given;
 *   integers in `retryOn` are retriable status codes.
 * Backoff is Envoy's: full jitter over min(base·(2^n − 1), 10·base), base 25ms unless `backoff` sets it.
 * Over HTTP/1.1, refused-stream never happens and the gRPC conditions read the `grpc-status` header.
 * A fault-aborted request never reaches this code: it is answered before routing to an upstream.
 */
import type { HTTPRetry } from '../../istio/types.js';
// Timer-bounded: a manifest's duration past 24.8 days would overflow setTimeout (it fires at once).
// Timer-bounded: a manifest's duration past 24.8 days would overflow setTimeout (it fires at once).
import { parseTimerDuration } from '../../input/units.js';
import type { Diagnostics } from './diagnostics.js';

/** A compiled retry policy. */
export interface CompiledRetry {
  /** Retries after the first try. */
  numRetries: number;
  /** Timeout of each try, ms; 0 = none (only the route timeout applies). */
  perTryTimeoutMs: number;
  /** `5xx`: any 5xx, resets, connection failures, per-try timeouts. */
  on5xx: boolean;
  /** `gateway-error`: 502, 503, 504 and per-try timeouts. */
  onGatewayError: boolean;
  /** `connect-failure` (and `reset-before-request`). */
  onConnectFailure: boolean;
  /** `reset`: the connection died before response headers. */
  onReset: boolean;
  /** `retriable-4xx`: 409. */
  onRetriable4xx: boolean;
  /** `envoy-ratelimited`: the response has `x-envoy-ratelimited`. */
  onEnvoyRateLimited: boolean;
  /** Status codes retried under `retriable-status-codes`. */
  statusCodes: ReadonlySet<number>;
  /** gRPC status codes (from the `grpc-status` header) that are retried. */
  grpcCodes: ReadonlySet<number>;
  /** Backoff base interval, ms. */
  backoffBaseMs: number;
  /** Retry on a different endpoint when one is available. @default true */
  avoidPreviousHosts: boolean;
}

/** How one try ended. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; grpcStatus?: number; rateLimited?: boolean }
  | { kind: 'connect-failure' }
  | { kind: 'reset' }
  | { kind: 'per-try-timeout' };

/** Every retryOn token Istio's validation accepts. */
const KNOWN = new Set([
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted',
  'unavailable', 'reset-before-request', 'http3-post-connect-failure',
]);
const GRPC: Record<string, number> = { cancelled: 1, 'deadline-exceeded': 4, 'resource-exhausted': 8, internal: 13, unavailable: 14 };
const NO_EFFECT = new Set(['refused-stream', 'retriable-headers', 'http3-post-connect-failure']);

/** Istio's default retry-on conditions. */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** Istio's default policy (applied to routes without `retries`). */
export const DEFAULT_RETRY: CompiledRetry = Object.freeze(
  buildPolicy(2, 0, DEFAULT_RETRY_ON, [503], 25, true),
);

/** Compiles `retries` found at `path`; null means "no retries". */
export function compileRetry(retries: HTTPRetry | undefined, path: string, diag: Diagnostics): CompiledRetry | null {
  if (retries === undefined || retries === null) return DEFAULT_RETRY;
  const r = retries as HTTPRetry & { backoff?: string; retryIgnorePreviousHosts?: boolean };
  const attempts = r.attempts ?? 0;
  if (!Number.isInteger(attempts) || attempts < 0) {
    diag.error(`${path}.attempts`, `attempts must be a non-negative integer, got ${String(attempts)}`);
    return null;
  }
  if (attempts === 0) return null;
  let perTry = 0;
  if (r.perTryTimeout !== undefined) {
    const ms = typeof r.perTryTimeout === 'string' ? parseTimerDuration(r.perTryTimeout) : undefined;
    if (ms === undefined || ms <= 0) diag.error(`${path}.perTryTimeout`, `invalid duration ${JSON.stringify(r.perTryTimeout)}`, 'write e.g. "2s"');
    else perTry = ms;
  }
  let base = 25;
  if (r.backoff !== undefined) {
    const ms = typeof r.backoff === 'string' ? parseTimerDuration(r.backoff) : undefined;
    if (ms === undefined || ms <= 0) diag.error(`${path}.backoff`, `invalid duration ${JSON.stringify(r.backoff)}`);
    else base = ms;
  }
  let retryOn = DEFAULT_RETRY_ON;
  let codes = [503];
  if (typeof r.retryOn === 'string' && r.retryOn.trim() !== '') {
    const tokens: string[] = [];
    codes = [];
    for (const raw of r.retryOn.split(',')) {
      const t = raw.trim();
      if (!t) continue;
      if (/^\d+$/.test(t) && Number(t) >= 100 && Number(t) <= 599) codes.push(Number(t));
      else if (KNOWN.has(t)) {
        tokens.push(t);
        if (NO_EFFECT.has(t)) diag.warn(`${path}.retryOn`, `"${t}" cannot occur over the local mesh's HTTP/1.1 and has no effect`);
      } else diag.error(`${path}.retryOn`, `"${t}" is not a valid retryOn value`, `valid: ${[...KNOWN].join(', ')}, or status codes`);
    }
    retryOn = tokens.join(',');
    if (codes.length && !tokens.includes('retriable-status-codes')) retryOn += ',retriable-status-codes';
  } else if (r.retryOn !== undefined && typeof r.retryOn !== 'string') {
    diag.error(`${path}.retryOn`, 'retryOn must be a comma-separated string');
  }
  if (r.retryRemoteLocalities !== undefined) diag.warn(`${path}.retryRemoteLocalities`, 'the local mesh has no localities; ignored');
  return buildPolicy(attempts, perTry, retryOn, codes, base, r.retryIgnorePreviousHosts ?? true);
}

function buildPolicy(n: number, perTry: number, retryOn: string, codes: number[], base: number, avoid: boolean): CompiledRetry {
  const on = new Set(retryOn.split(',').map((s) => s.trim()));
  const grpc = new Set<number>();
  for (const [name, code] of Object.entries(GRPC)) if (on.has(name)) grpc.add(code);
  return {
    numRetries: n,
    perTryTimeoutMs: perTry,
    on5xx: on.has('5xx'),
    onGatewayError: on.has('gateway-error'),
    onConnectFailure: on.has('connect-failure') || on.has('reset-before-request'),
    onReset: on.has('reset'),
    onRetriable4xx: on.has('retriable-4xx'),
    onEnvoyRateLimited: on.has('envoy-ratelimited'),
    statusCodes: on.has('retriable-status-codes') ? new Set(codes) : new Set(),
    grpcCodes: grpc,
    backoffBaseMs: base,
    avoidPreviousHosts: avoid,
  };
}

/** Whether a try that ended with `outcome` may be retried under `p` (ignoring the retry budget). */
export function isRetriable(p: CompiledRetry, outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'connect-failure':
      return p.onConnectFailure || p.onReset || p.on5xx;
    case 'reset':
      return p.onReset || p.on5xx;
    case 'per-try-timeout':
      // Envoy treats a per-try timeout like a 504 from upstream.
      return p.on5xx || p.onGatewayError || p.onReset;
    case 'response': {
      const s = outcome.status;
      if (p.on5xx && s >= 500 && s <= 599) return true;
      if (p.onGatewayError && (s === 502 || s === 503 || s === 504)) return true;
      if (p.onRetriable4xx && s === 409) return true;
      if (p.statusCodes.has(s)) return true;
      if (p.onEnvoyRateLimited && outcome.rateLimited) return true;
      return outcome.grpcStatus !== undefined && p.grpcCodes.has(outcome.grpcStatus);
    }
  }
}

/** Milliseconds to wait before retry number `n` (1-based): Envoy's fully jittered exponential backoff. */
export function backoffMs(p: CompiledRetry, n: number, random: () => number): number {
  const ceiling = Math.min(p.backoffBaseMs * (2 ** n - 1), p.backoffBaseMs * 10);
  return Math.floor(random() * ceiling);
}
