/**
 * Checks that a proxy really split traffic 90/10: observed v2 share against the expected share
 * with a binomial 5-sigma bound (a random split off by more than 5σ is a routing bug, not chance).
 */

/** Verdict on one observed split. */
export interface SplitCheck {
  /** Responses counted (v1 + v2 + anything else). */
  n: number;
  /** Observed share of v2, 0..1. */
  v2Share: number;
  /** Allowed deviation from the expected share (5σ of a binomial proportion). */
  bound: number;
  /** True when every response came from v1/v2 and |v2Share − expected| ≤ bound. */
  ok: boolean;
}

/** Judges `versions` (counts per x-version) against `expectedV2` (0..1). */
export function checkSplit(versions: Record<string, number>, expectedV2: number): SplitCheck {
  const v1 = versions['v1'] ?? 0;
  const v2 = versions['v2'] ?? 0;
  const n = Object.values(versions).reduce((a, b) => a + b, 0);
  const v2Share = n === 0 ? Number.NaN : v2 / n;
  const bound = n === 0 ? Number.NaN : 5 * Math.sqrt((expectedV2 * (1 - expectedV2)) / n);
  return { n, v2Share, bound, ok: n > 0 && v1 + v2 === n && Math.abs(v2Share - expectedV2) <= bound };
}

/** Sums `istio_requests_total` by `destination_version` from a Prometheus text exposition. */
export function requestsByVersion(metricsText: string): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = metricsText.split('\n').filter((l) => l.startsWith('istio_requests_total{'));
  // Count each request once: prefer the destination reporter's series when both reporters exist.
  const reporterDest = lines.filter((l) => l.includes('reporter="destination"'));
  for (const line of reporterDest.length > 0 ? reporterDest : lines) {
    const version = line.match(/destination_version="([^"]*)"/)?.[1];
    const value = Number(line.slice(line.lastIndexOf('}') + 1).trim().split(/\s+/)[0]);
    if (version !== undefined && Number.isFinite(value)) out[version] = (out[version] ?? 0) + value;
  }
  return out;
}
