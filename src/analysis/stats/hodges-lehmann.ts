/**
 * The Hodges-Lehmann estimate of the shift between two samples (the median of all pairwise
 * differences x_i − y_j: "the canary is this many ms slower") and its distribution-free confidence
 * interval (Moses), whose bounds are order statistics of the same differences at the ranks the
 * Mann-Whitney U distribution gives (normal approximation, as in mann-whitney.ts).
 *
 * There are n1·n2 differences — 10⁸ for 10,000 requests per version — so none is materialised: the
 * k-th smallest difference is found by bisection on its value, counting the pairs at or below a
 * candidate with one merge-like pass over the sorted samples. Time O((n1 + n2) · 64), memory O(n).
 */
import { normalQuantile } from './normal.js';

/** Shift estimate and interval, in the samples' unit. */
export interface ShiftEstimate {
  /** Median of x_i − y_j. */
  shift: number;
  /** Lower bound of the interval. */
  lower: number;
  /** Upper bound of the interval. */
  upper: number;
}

/** Number of pairs with x_i − y_j ≤ d (both sorted ascending). */
function countAtMost(xs: Float64Array, ys: Float64Array, d: number): number {
  // For each x_i, the y_j ≥ x_i − d; as x_i grows the threshold grows, so j only moves forward.
  let count = 0;
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    const t = xs[i]! - d;
    while (j < ys.length && ys[j]! < t) j++;
    count += ys.length - j;
  }
  return count;
}

/** The k-th smallest (1-based) of all x_i − y_j. */
export function kthDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  let lo = xs[0]! - ys[ys.length - 1]!; // the smallest difference: count ≥ 1
  let hi = xs[xs.length - 1]! - ys[0]!; // the largest: count = n1·n2
  if (countAtMost(xs, ys, lo) >= k) return lo;
  // Invariant: count(lo) < k ≤ count(hi). Stop when no double lies strictly between them.
  for (let i = 0; i < 2000; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtMost(xs, ys, mid) >= k) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Shift of `x` against `y` with a two-sided `confidence` interval.
 * @throws RangeError when either sample is empty
 */
export function hodgesLehmann(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  if (x.length === 0 || y.length === 0) throw new RangeError('Hodges-Lehmann needs at least one value in each sample');
  const xs = Float64Array.from(x).sort();
  const ys = Float64Array.from(y).sort();
  const n = xs.length * ys.length;
  const shift = n % 2 === 1 ? kthDifference(xs, ys, (n + 1) / 2) : (kthDifference(xs, ys, n / 2) + kthDifference(xs, ys, n / 2 + 1)) / 2;
  // Moses: the interval runs from the k-th smallest to the k-th largest difference, with
  // k = ⌊n1·n2/2 − z·σ_U⌋ (at least 1), σ_U² = n1·n2·(n1 + n2 + 1)/12.
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const sigma = Math.sqrt((n * (xs.length + ys.length + 1)) / 12);
  const k = Math.max(1, Math.floor(n / 2 - z * sigma));
  return { shift, lower: kthDifference(xs, ys, k), upper: kthDifference(xs, ys, n + 1 - k) };
}
