/**
 * Confidence intervals of absolute checks, so every verdict says how sure its value is: a
 * distribution-free interval for a latency percentile, Wilson's for an error rate. The verdict
 * itself still compares the point value with the threshold (the interval is information, not a
 * second rule); relative SLOs use their own `confidence`.
 */
import type { CheckInterval } from '../../model/result.js';
import { wilsonInterval, zFor } from '../stats/proportions.js';
import { quantileInterval, type WeightedSample } from '../stats/weighted-sample.js';

/** Confidence of the intervals of absolute checks. */
export const ABSOLUTE_CONFIDENCE = 0.95;

const PERCENTILES: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, 'p99.9': 0.999 };

/**
 * Interval of a latency percentile from the version's histogram buckets, widened to contain
 * `value` (HDR's percentile and the order statistic can differ by a bucket); undefined for "max"
 * or without a distribution.
 */
export function latencyInterval(distribution: WeightedSample | undefined, percentile: string, value: number | null): CheckInterval | undefined {
  const q = PERCENTILES[percentile];
  if (q === undefined || !distribution || value === null) return undefined;
  const i = quantileInterval(distribution, q, zFor(ABSOLUTE_CONFIDENCE));
  return i ? { low: Math.min(i.low, value), high: Math.max(i.high, value), confidence: ABSOLUTE_CONFIDENCE } : undefined;
}

/** Wilson interval of `errors` of `n`; undefined when n is 0. */
export function errorRateInterval(errors: number, n: number): CheckInterval | undefined {
  if (n === 0) return undefined;
  const w = wilsonInterval(errors, n, ABSOLUTE_CONFIDENCE);
  return { low: w.lower, high: w.upper, confidence: ABSOLUTE_CONFIDENCE };
}
