/**
 * A latency distribution small enough for one index line: the recorder's weighted sample (HDR
 * buckets, 3 significant digits) re-bucketed into log buckets 1% wide, each valued at its upper
 * edge (as HDR values its buckets). A step of any length and rate then keeps at most a few
 * hundred (value, count) pairs: from 1 ms to 10 s is 926 buckets, and real latencies fill a
 * fraction of them. Rank tests on it see ties where values were within 1% of each other, which
 * the Mann-Whitney tie correction accounts for.
 */
import { weightedFromCounts, type WeightedSample } from '../analysis/stats/weighted-sample.js';
import type { LatencyBuckets } from './entry-schema.js';

/** Width of a bucket: each upper edge is this factor above the one below. */
export const BUCKET_RATIO = 1.01;

const LOG_RATIO = Math.log(BUCKET_RATIO);

/** The upper edge of the bucket `ms` falls into (0 stays 0), rounded to 4 significant digits for a short line. */
export function bucketEdge(ms: number): number {
  if (!(ms > 0)) return 0;
  // The tiny slack keeps a value that is exactly an edge in its own bucket despite rounding.
  const k = Math.ceil(Math.log(ms) / LOG_RATIO - 1e-9);
  return Number((BUCKET_RATIO ** k).toPrecision(4));
}

/** Re-buckets a weighted sample; undefined when it is empty. */
export function compactLatency(sample: WeightedSample): LatencyBuckets | undefined {
  if (sample.n === 0) return undefined;
  const merged = weightedFromCounts(Array.from(sample.values, (v, i) => [bucketEdge(v), sample.counts[i]!] as const));
  return { values: Array.from(merged.values), counts: Array.from(merged.counts, (c) => Math.round(c)) };
}

/**
 * The weighted sample of a compact distribution.
 * @throws RangeError when its arrays differ in length or hold a bad value (the schema refuses those on read)
 */
export function expandLatency(buckets: LatencyBuckets): WeightedSample {
  if (buckets.values.length !== buckets.counts.length) throw new RangeError(`latency buckets: ${buckets.values.length} values but ${buckets.counts.length} counts`);
  return weightedFromCounts(buckets.values.map((v, i) => [v, buckets.counts[i]!] as const));
}

/** Merges weighted samples (e.g. every step's) into one. */
export function mergeSamples(samples: readonly WeightedSample[]): WeightedSample {
  return weightedFromCounts(samples.flatMap((s) => Array.from(s.values, (v, i) => [v, s.counts[i]!] as const)));
}

/** The value at quantile `q` (0–1): the smallest value with at least q·n values at or below it; null when empty. */
export function sampleQuantile(s: WeightedSample, q: number): number | null {
  if (s.n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * s.n));
  let seen = 0;
  for (let i = 0; i < s.values.length; i++) {
    seen += s.counts[i]!;
    if (seen >= rank) return s.values[i]!;
  }
  return s.values[s.values.length - 1]!;
}
