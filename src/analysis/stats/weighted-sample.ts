/**
 * A sample as distinct values with their counts — what an HDR histogram holds — so rank tests run
 * in time proportional to the distinct values (a few thousand buckets), not to the requests
 * (a 1,000 req/s step of a minute is 60,000 of them per version).
 */

/** Distinct values in ascending order, each with how many times it occurs. */
export interface WeightedSample {
  /** Distinct values, strictly ascending. */
  readonly values: Float64Array;
  /** Occurrences of each value (> 0), same length as `values`. */
  readonly counts: Float64Array;
  /** Sum of `counts`. */
  readonly n: number;
}

/** Builds a weighted sample from raw values (any order, ties allowed). */
export function weightedFromValues(values: readonly number[]): WeightedSample {
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (const v of sorted) {
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  return { values: Float64Array.from(distinct), counts: Float64Array.from(counts), n: sorted.length };
}

/**
 * Builds a weighted sample from (value, count) pairs in any order; equal values are merged and
 * zero counts dropped.
 * @throws RangeError on a negative or non-finite count or value
 */
export function weightedFromCounts(pairs: Iterable<readonly [value: number, count: number]>): WeightedSample {
  const merged = new Map<number, number>();
  for (const [value, count] of pairs) {
    if (!Number.isFinite(value) || !(count >= 0) || !Number.isFinite(count)) throw new RangeError(`bad (value, count) pair (${value}, ${count})`);
    if (count > 0) merged.set(value, (merged.get(value) ?? 0) + count);
  }
  const values = Float64Array.from(merged.keys()).sort();
  const counts = values.map((v) => merged.get(v)!);
  return { values, counts, n: counts.reduce((a, b) => a + b, 0) };
}

/** The median (the mean of the two middle values when n is even); NaN for an empty sample. */
export function weightedMedian(s: WeightedSample): number {
  if (s.n === 0) return Number.NaN;
  const lower = quantileRank(s, Math.ceil(s.n / 2));
  return s.n % 2 === 1 ? lower : (lower + quantileRank(s, s.n / 2 + 1)) / 2;
}

/**
 * Distribution-free confidence interval of the `q`-quantile (0 < q < 1): the order statistics
 * at ranks n·q ∓ z·√(n·q·(1 − q)) (the normal approximation of the binomial count of values below
 * the quantile; Conover, "Practical Nonparametric Statistics", §3.2), clamped to 1..n.
 * Undefined for an empty sample.
 */
export function quantileInterval(s: WeightedSample, q: number, z: number): { low: number; high: number } | undefined {
  if (s.n === 0) return undefined;
  const half = z * Math.sqrt(s.n * q * (1 - q));
  const lowRank = Math.min(s.n, Math.max(1, Math.floor(s.n * q - half)));
  const highRank = Math.min(s.n, Math.max(1, Math.ceil(s.n * q + half) + 1));
  return { low: quantileRank(s, lowRank), high: quantileRank(s, highRank) };
}

/** The k-th smallest value (1-based). */
function quantileRank(s: WeightedSample, k: number): number {
  let seen = 0;
  for (let i = 0; i < s.values.length; i++) {
    seen += s.counts[i]!;
    if (seen >= k) return s.values[i]!;
  }
  return s.values[s.values.length - 1]!;
}
