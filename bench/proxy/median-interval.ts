/**
 * A distribution-free confidence interval for a median (the sign test's, from order statistics):
 * with n independent values, the interval [x(k), x(n−k+1)] covers the population median with
 * probability 1 − 2·P(Binomial(n, ½) ≤ k − 1), whatever the distribution. Used on per-round paired
 * differences: a round disturbed by the machine (one stalled window makes its p99 tens of ms) moves
 * a median by one rank, not by its size, so a few such rounds cannot decide or hide a verdict.
 */

/** A median with its interval. */
export interface MedianInterval {
  /** The sample median. */
  median: number;
  /** Lower end x(k). */
  low: number;
  /** Upper end x(n−k+1). */
  high: number;
  /** The interval's actual coverage (≥ the level asked for), or NaN when n is too small for it. */
  coverage: number;
  /** Values. */
  n: number;
}

// P(Binomial(n, ½) ≤ j), exactly enough for the n of a benchmark (terms built by ratios).
function binomialHalfCdf(n: number, j: number): number {
  let term = Math.pow(0.5, n);
  let sum = term;
  for (let i = 1; i <= j; i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return sum;
}

/**
 * The median of `values` and the narrowest order-statistic interval covering it with probability
 * ≥ `level`. When n is too small for that level (n ≤ 5 at 95%) the interval is the whole range and
 * `coverage` is NaN: no verdict should rest on it.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  const n = values.length;
  if (n === 0) return { median: Number.NaN, low: Number.NaN, high: Number.NaN, coverage: Number.NaN, n };
  const x = [...values].sort((a, b) => a - b);
  const median = n % 2 === 1 ? x[(n - 1) / 2]! : (x[n / 2 - 1]! + x[n / 2]!) / 2;
  // The largest k whose interval still covers with ≥ level: 1 − 2·P(B ≤ k − 1) ≥ level.
  let k = 0;
  while (k + 1 <= Math.ceil(n / 2) && 1 - 2 * binomialHalfCdf(n, k) >= level) k++;
  if (k === 0) return { median, low: x[0]!, high: x[n - 1]!, coverage: Number.NaN, n };
  return { median, low: x[k - 1]!, high: x[n - k]!, coverage: 1 - 2 * binomialHalfCdf(n, k - 1), n };
}
