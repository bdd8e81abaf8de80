/**
 * DestinationRule `trafficPolicy.outlierDetection` read as Istio translates it into Envoy's cluster
 * `outlier_detection` (Istio's `applyOutlierDetection`): consecutive 5xx and consecutive gateway
 * errors (502/503/504) each eject when set above 0 (enforcing 100%); `interval` 10s,
 * `baseEjectionTime` 30s and `maxEjectionPercent` 10 are Envoy's defaults; `minHealthPercent`
 * becomes the cluster's panic threshold (Istio's default 0: no panic mode). Success-rate ejection is
 * never enabled by Istio. See src/mesh/README.md for the documents behind each value.
 */
import { parseTimerDuration } from '../../input/units.js';

/** What the detector enforces for one cluster. */
export interface OutlierConfig {
  /** Consecutive 5xx responses (local connect failures and timeouts included) that eject; 0 = off. */
  consecutive5xx: number;
  /** Consecutive 502/503/504 responses that eject; 0 = off. */
  consecutiveGateway: number;
  /** Ejection sweep interval, ms. */
  intervalMs: number;
  /** Base ejection time, ms (multiplied by the host's ejection count). */
  baseEjectionMs: number;
  /** Upper bound of one ejection, ms (Envoy's `max_ejection_time`, not exposed by Istio: 300 s). */
  maxEjectionMs: number;
  /** Highest share of the cluster's hosts ejected at once, percent. */
  maxEjectionPercent: number;
  /** Below this share of healthy hosts, all hosts are used (panic), percent; 0 = never. */
  minHealthPercent: number;
}

/** A problem found reading the field, with the sub-path it concerns. */
export type OutlierProblem = { path: string; message: string };

/** `raw` as an object; undefined when absent, or not an object (then with a problem). */
export function objectField(raw: unknown, what: string, problems: OutlierProblem[]): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  problems.push({ path: '', message: `${what} must be an object; ignored` });
  return undefined;
}

/** Envoy's defaults (Istio leaves them when the DestinationRule does not set a field). */
const DEFAULTS = { intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionMs: 300_000, maxEjectionPercent: 10, consecutive5xx: 5 };

/**
 * Reads an `outlierDetection` object; undefined when absent. Values the mesh cannot use are
 * reported in `problems` and replaced by their defaults.
 */
export function outlierConfigOf(raw: unknown, problems: OutlierProblem[]): OutlierConfig | undefined {
  const o = objectField(raw, 'outlierDetection', problems);
  if (!o) return undefined;
  const int = (key: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max) return n;
    problems.push({ path: key, message: `${key} must be an integer from 0 to ${max === 100 ? 100 : 'any'}; ${fallback} is used` });
    return fallback;
  };
  const duration = (key: string, fallback: number): number => {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    const ms = typeof v === 'string' ? parseTimerDuration(v) : undefined;
    if (ms !== undefined && ms > 0) return ms;
    problems.push({ path: key, message: `${key} must be a positive duration such as "10s"; ${fallback}ms is used` });
    return fallback;
  };
  // Istio's deprecated `consecutiveErrors` was mapped to consecutive gateway errors.
  const gateway = o['consecutiveGatewayErrors'] !== undefined ? int('consecutiveGatewayErrors', 0) : int('consecutiveErrors', 0);
  return {
    consecutive5xx: int('consecutive5xxErrors', DEFAULTS.consecutive5xx),
    consecutiveGateway: gateway,
    intervalMs: duration('interval', DEFAULTS.intervalMs),
    baseEjectionMs: duration('baseEjectionTime', DEFAULTS.baseEjectionMs),
    maxEjectionMs: DEFAULTS.maxEjectionMs,
    maxEjectionPercent: int('maxEjectionPercent', DEFAULTS.maxEjectionPercent, 100),
    minHealthPercent: int('minHealthPercent', 0, 100),
  };
}
