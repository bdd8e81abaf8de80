/**
 * DestinationRule `connectionPool` (Istio's ConnectionPoolSettings) compiled into the limits of one
 * cluster, with Istio's precedence: a subset's `trafficPolicy.connectionPool` replaces the
 * top-level one as a whole, and within each policy a `portLevelSettings` entry for the service's
 * port (80, the one port of a local service) replaces that policy's `connectionPool` — Istio's
 * MergeTrafficPolicy / MergeSubsetTrafficPolicy replace whole settings objects, never single fields.
 * Unset fields get Istio's defaults: 2^32-1 ("effectively unlimited") for every limit.
 */
import type { TrafficPolicy } from '../../istio/types.js';
import { parseTimerDuration } from '../../input/units.js';
import type { Diagnostics } from './diagnostics.js';

/** Istio's default for every unset limit (2^32-1). */
export const UNLIMITED = 2 ** 32 - 1;

/** The one port of a local service. */
export const SERVICE_PORT = 80;

/** Circuit-breaking limits of a cluster (Envoy's circuit_breakers thresholds). */
export interface PoolLimits {
  /** `tcp.maxConnections` → max_connections. */
  maxConnections: number;
  /** `http.http1MaxPendingRequests` → max_pending_requests. */
  maxPendingRequests: number;
  /** `http.http2MaxRequests` → max_requests (concurrent requests). */
  maxRequests: number;
  /** `http.maxRetries` → max_retries (retries outstanding in the cluster). */
  maxRetries: number;
  /** `http.maxRequestsPerConnection` → max_requests_per_connection; 0 = no limit (Istio's default). */
  maxRequestsPerConnection: number;
  /** `http.idleTimeout` in ms → the upstream connection's idle timeout; 0 = not set. */
  idleTimeoutMs: number;
}

type Settings = Record<string, unknown>;

/** The connectionPool of a policy, replaced by its port-level setting for `port` when there is one. */
function poolOf(policy: TrafficPolicy | undefined, port: number): Settings | undefined {
  if (!policy) return undefined;
  let pool = isObject(policy['connectionPool']) ? policy['connectionPool'] : undefined;
  const levels = policy['portLevelSettings'];
  if (Array.isArray(levels)) {
    for (const s of levels) {
      if (isObject(s) && isObject(s['port']) && s['port']['number'] === port && isObject(s['connectionPool'])) pool = s['connectionPool'];
    }
  }
  return pool;
}

/**
 * Limits for a cluster from the DestinationRule's top-level policy and (for a subset cluster) the
 * subset's policy; null when neither sets a connectionPool (the proxy then skips all accounting).
 * `path` locates the subset policy in warnings.
 */
export function poolLimits(top: TrafficPolicy | undefined, subset: TrafficPolicy | undefined, diag: Diagnostics, path: string): PoolLimits | null {
  const fromSubset = poolOf(subset, SERVICE_PORT);
  const pool = fromSubset ?? poolOf(top, SERVICE_PORT);
  if (!pool) return null;
  const where = fromSubset ? `${path}.trafficPolicy.connectionPool` : 'spec.trafficPolicy.connectionPool';
  const tcp = isObject(pool['tcp']) ? pool['tcp'] : {};
  const http = isObject(pool['http']) ? pool['http'] : {};
  const perConnection = limit(http['maxRequestsPerConnection'], `${where}.http.maxRequestsPerConnection`, diag);
  return {
    maxConnections: limit(tcp['maxConnections'], `${where}.tcp.maxConnections`, diag),
    maxPendingRequests: limit(http['http1MaxPendingRequests'], `${where}.http.http1MaxPendingRequests`, diag),
    maxRequests: limit(http['http2MaxRequests'], `${where}.http.http2MaxRequests`, diag),
    maxRetries: limit(http['maxRetries'], `${where}.http.maxRetries`, diag),
    maxRequestsPerConnection: perConnection === UNLIMITED ? 0 : perConnection,
    idleTimeoutMs: idleTimeout(http['idleTimeout'], `${where}.http.idleTimeout`, diag),
  };
}

// Istio treats 0 (the proto default) as unset; negative or fractional values are not valid int32s.
function limit(v: unknown, path: string, diag: Diagnostics): number {
  if (v === undefined || v === null || v === 0) return UNLIMITED;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    diag.warn(path, `must be a positive integer, got ${JSON.stringify(v)}; Istio's default (2^32-1) is used`);
    return UNLIMITED;
  }
  return v;
}

function idleTimeout(v: unknown, path: string, diag: Diagnostics): number {
  if (v === undefined || v === null) return 0;
  const ms = typeof v === 'string' ? parseTimerDuration(v) : undefined;
  if (ms === undefined || ms <= 0) {
    diag.warn(path, `must be a positive duration such as "30s", got ${JSON.stringify(v)}; ignored`);
    return 0;
  }
  return ms;
}

function isObject(v: unknown): v is Settings {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
