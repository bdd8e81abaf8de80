/**
 * Fixed-rate latency measured in interleaved rounds: every target once per round, the order rotated
 * each round, so a slow phase of a shared machine hits all targets alike instead of one of them.
 * The figures reported are the pooled percentiles over all rounds and, for "added" latency, the
 * per-round paired differences (proxy − direct in the same round), whose spread shows the noise.
 */
import { percentile, type FixedRateResult } from './fixed-rate.js';

/** Spread of one paired difference over the rounds. */
export interface PairedSpread {
  /** Median over rounds, ms. */
  median: number;
  /** Smallest round, ms. */
  min: number;
  /** Largest round, ms. */
  max: number;
  /** Every round, in round order, ms. */
  values: number[];
}

/** The order of `targets` in round `round` (0-based): rotated left by `round`. */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const k = targets.length === 0 ? 0 : round % targets.length;
  return [...targets.slice(k), ...targets.slice(0, k)];
}

/** Pools rounds of one target into one result (percentiles over every latency of every round). */
export function poolRounds(rounds: FixedRateResult[]): FixedRateResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const versions: Record<string, number> = {};
  for (const r of rounds) for (const [v, n] of Object.entries(r.versions)) versions[v] = (versions[v] ?? 0) + n;
  return {
    scheduled: rounds.reduce((a, r) => a + r.scheduled, 0),
    ok: rounds.reduce((a, r) => a + r.ok, 0),
    bad: rounds.reduce((a, r) => a + r.bad, 0),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    versions,
    latencies,
  };
}

/** Per-round `proxy[p] − direct[p]`, rounds paired by index; undefined when there are none. */
export function pairedAdded(proxy: FixedRateResult[], direct: FixedRateResult[], p: 'p50Ms' | 'p99Ms'): PairedSpread | undefined {
  const n = Math.min(proxy.length, direct.length);
  if (n === 0) return undefined;
  const values = Array.from({ length: n }, (_, i) => proxy[i]![p] - direct[i]![p]);
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, values };
}
