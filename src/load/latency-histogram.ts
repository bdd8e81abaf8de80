/**
 * The one HDR histogram configuration latencies are folded into: the recorder's running totals are
 * these histograms, and its per-window cells (`bucket-counts.ts`) count in exactly their buckets.
 */
import { build, JsHistogram, type Histogram } from 'hdr-histogram-js';
import { weightedFromCounts, type WeightedSample } from '../analysis/stats/weighted-sample.js';

/** Histograms count integer microseconds: sub-millisecond latencies of a local mesh stay visible. */
export const MICROS_PER_MS = 1000;

/** Highest latency tracked: 1 hour in microseconds. Larger values are clamped to it. */
export const HIGHEST_TRACKABLE_MICROS = 3_600_000_000;

/**
 * Significant decimal digits kept: a recorded value is reported within 1/1000 of itself
 * (HDR reports the highest value equivalent to the recorded one, so at most +0.1%, plus 1 µs).
 */
export const SIGNIFICANT_DIGITS = 3;

/**
 * A latency histogram (microseconds, 1 µs .. 1 h, 3 significant digits) with flat 32-bit buckets
 * (~95 KB whatever it holds): for the recorder's few running totals, one per version, where
 * percentile look-ups are frequent. The per-window cells use the same buckets, kept sparse
 * (`bucket-counts.ts`), rather than HDR's "packed" arrays, whose every look-up walks all 23,552 buckets.
 */
export function createTotalHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_MICROS,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    autoResize: false,
  });
}

/** Converts a latency in ms to the integer microseconds the histograms count, clamped to their range. */
export function toMicros(latencyMs: number): number {
  // NaN and negatives (a clock step backwards) count as 0 rather than throwing inside a hot path.
  if (!(latencyMs > 0)) return 0;
  const us = Math.round(latencyMs * MICROS_PER_MS);
  return us > HIGHEST_TRACKABLE_MICROS ? HIGHEST_TRACKABLE_MICROS : us;
}

/** The value at `percentile` (0–100) in ms, or null for an empty histogram. */
export function percentileMs(h: Histogram, percentile: number): number | null {
  if (h.totalCount === 0) return null;
  return h.getValueAtPercentile(percentile) / MICROS_PER_MS;
}

/**
 * The histogram's recorded values as a weighted sample in ms (one entry per non-empty bucket,
 * valued at the bucket's highest equivalent value, as percentiles are), for rank tests.
 */
export function distributionMs(h: Histogram): WeightedSample {
  if (h.totalCount === 0) return weightedFromCounts([]);
  // build() makes JS histograms (no WebAssembly is initialised), which carry the iterator.
  if (!(h instanceof JsHistogram)) throw new TypeError('distributionMs needs a JS (not WebAssembly) histogram');
  const it = h.recordedValuesIterator;
  it.reset();
  const pairs: [number, number][] = [];
  while (it.hasNext()) {
    const v = it.next();
    pairs.push([v.valueIteratedTo / MICROS_PER_MS, v.countAtValueIteratedTo]);
  }
  return weightedFromCounts(pairs);
}
