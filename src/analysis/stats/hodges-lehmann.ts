/**
 * The Hodges-Lehmann estimate of the shift between two samples (the median of all pairwise
 * differences x_i − y_j: "the canary is this many ms slower") and its distribution-free confidence
 * interval (Moses), whose bounds are order statistics of the same differences at the ranks the
 * Mann-Whitney U distribution gives (normal approximation, as in mann-whitney.ts).
 *
 * There are n1·n2 differences — 10⁸ for 10,000 requests per version — so none is materialised: the
 * k-th smallest difference is found by bisection on its value, counting the pairs at or below a
 * candidate with one merge-like pass over the sorted samples. Time O(distinct values · 64), memory O(distinct values): samples
 * are weighted (value, count) lists, as histogram buckets give them.
 */
import { normalQuantile } from './normal.js';
import { weightedFromValues, type WeightedSample } from './weighted-sample.js';

/** Shift estimate and interval, in the samples' unit. */
export interface ShiftEstimate {
  /** Median of x_i − y_j. */
  shift: number;
  /** Lower bound of the interval. */
  lower: number;
  /** Upper bound of the interval. */
  upper: number;
}

/** Number of pairs with x_i − y_j ≤ d, weighted by their counts. */
function countAtMost(x: WeightedSample, y: WeightedSample, d: number): number {
  // For each x_i, the y_j ≥ x_i − d; as x_i grows the threshold grows, so j only moves forward.
  let count = 0;
  let j = 0;
  let yBelow = 0; // Σ counts of y_j < threshold
  for (let i = 0; i < x.values.length; i++) {
    const t = x.values[i]! - d;
    while (j < y.values.length && y.values[j]! < t) yBelow += y.counts[j++]!;
    count += x.counts[i]! * (y.n - yBelow);
  }
  return count;
}

/** The k-th smallest (1-based) of all x_i − y_j, each pair counted count(x_i)·count(y_j) times. */
export function kthDifferenceWeighted(x: WeightedSample, y: WeightedSample, k: number): number {
  let lo = x.values[0]! - y.values[y.values.length - 1]!; // the smallest difference: count ≥ 1
  let hi = x.values[x.values.length - 1]! - y.values[0]!; // the largest: count = n1·n2
  if (countAtMost(x, y, lo) >= k) return lo;
  // Invariant: count(lo) < k ≤ count(hi). Stop when no double lies strictly between them.
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtMost(x, y, mid) >= k) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Shift of `x` against `y` with a two-sided `confidence` interval.
 * @throws RangeError when either sample is empty
 */
export function hodgesLehmann(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  return hodgesLehmannWeighted(weightedFromValues(x), weightedFromValues(y), confidence);
}

/**
 * {@link hodgesLehmann} on weighted samples (histogram buckets): O(distinct values · 64).
 * @throws RangeError when either sample is empty
 */
export function hodgesLehmannWeighted(x: WeightedSample, y: WeightedSample, confidence = 0.95): ShiftEstimate {
  if (x.n === 0 || y.n === 0) throw new RangeError('Hodges-Lehmann needs at least one value in each sample');
  const n = x.n * y.n;
  const kth = (k: number) => kthDifferenceWeighted(x, y, k);
  const shift = n % 2 === 1 ? kth((n + 1) / 2) : (kth(n / 2) + kth(n / 2 + 1)) / 2;
  // Moses: the interval runs from the k-th smallest to the k-th largest difference, with
  // k = ⌊n1·n2/2 − z·σ_U⌋ (at least 1), σ_U² = n1·n2·(n1 + n2 + 1)/12.
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const sigma = Math.sqrt((n * (x.n + y.n + 1)) / 12);
  const k = Math.max(1, Math.floor(n / 2 - z * sigma));
  return { shift, lower: kth(k), upper: kth(n + 1 - k) };
}
