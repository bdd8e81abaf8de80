/**
 * Confidence intervals for error rates: Wilson's score interval for one proportion, and Newcombe's
 * hybrid score interval (his "method 10") for the difference of two independent proportions —
 * canary minus stable, measured in the same windows. Both stay inside [0, 1] (resp. [−1, 1]) and
 * behave at 0 errors, where the textbook Wald interval collapses to a point.
 *
 * References: E. B. Wilson (1927), JASA 22:209–212; R. G. Newcombe (1998), "Two-sided confidence
 * intervals for the single proportion", Stat. Med. 17:857–872, and "Interval estimation for the
 * difference between independent proportions", Stat. Med. 17:873–890.
 */
import { normalQuantile } from './normal.js';

/** A two-sided interval. */
export interface Interval {
  /** Lower bound. */
  lower: number;
  /** Upper bound. */
  upper: number;
}

/** The two-sided z quantile for `confidence` (0.95 → 1.95996…). */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** Wilson score interval for `successes` of `n` (n = 0 gives [0, 1]: nothing is known). */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { lower: 0, upper: 1 };
  if (successes < 0 || successes > n) throw new RangeError(`successes must be in 0..${n}, got ${successes}`);
  const z = zFor(confidence);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n);
  // At 0 or n successes the bound equals p exactly; rounding must not push it past.
  return { lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === n ? 1 : Math.min(1, centre + half) };
}

/** The difference p1 − p2 of two independent proportions with Newcombe's hybrid score interval. */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): Interval & { difference: number } {
  const p1 = n1 === 0 ? 0 : x1 / n1;
  const p2 = n2 === 0 ? 0 : x2 / n2;
  const a = wilsonInterval(x1, n1, confidence);
  const b = wilsonInterval(x2, n2, confidence);
  const d = p1 - p2;
  return {
    difference: d,
    lower: d - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2),
    upper: d + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2),
  };
}
