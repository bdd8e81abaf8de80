/**
 * Confidence sequences for a proportion and for the difference of two. For one arm's i.i.d.
 * Bernoulli(p) stream with x failures in n, Robbins' beta-binomial mixture
 *
 *   M_n(p) = [B(a + x, b + n − x) / B(a, b)] / [p^x (1 − p)^(n − x)]
 *
 * is a nonnegative martingale with M_0 = 1 under p (it is the Bayes factor of the Beta(a, b) mixture
 * against the point p), so by Ville's inequality {p : M_n(p) < 1/α} covers p at every n at once with
 * probability ≥ 1 − α (Robbins 1970, "Statistical methods related to the law of the iterated logarithm",
 * Ann. Math. Statist. 41:1397; Howard, Ramdas, McAuliffe, Sekhon 2021, Ann. Statist. 49:1055, §3).
 * −log of the denominator is convex in p, so the set is an interval around x/n, found by bisection.
 * Two such sequences at α/2 each give, by the union bound, one for p_canary − p_stable at level 1 − α.
 */
import { gammaln } from 'simple-statistics';
import type { ConfidenceSequenceInterval } from './types.js';

/** The Beta(a, b) mixing prior. @default { a: 1, b: 1 } (uniform) */
export interface BetaPrior {
  /** Pseudo-failures of the prior. @default 1 */
  a: number;
  /** Pseudo-successes of the prior. @default 1 */
  b: number;
}

const UNIFORM: BetaPrior = { a: 1, b: 1 };

const logBeta = (a: number, b: number) => gammaln(a) + gammaln(b) - gammaln(a + b);

/** log M_n(p) of the file's comment. */
export function logRobbinsMixture(x: number, n: number, p: number, prior: BetaPrior = UNIFORM): number {
  return logMarginal(x, n, prior) - logLikelihood(x, n, p);
}

/** log of the Beta(a, b) mixture's probability of the sequence (the numerator). */
const logMarginal = (x: number, n: number, prior: BetaPrior) => logBeta(prior.a + x, prior.b + n - x) - logBeta(prior.a, prior.b);

const logLikelihood = (x: number, n: number, p: number) => (x === 0 ? 0 : x * Math.log(p)) + (n - x === 0 ? 0 : (n - x) * Math.log1p(-p));

/** The time-uniform interval {p : M_n(p) < 1/α} for x failures of n (n = 0: [0, 1]). */
export function proportionConfidenceSequence(x: number, n: number, alpha: number, prior: BetaPrior = UNIFORM): ConfidenceSequenceInterval {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(Number.isInteger(x) && Number.isInteger(n) && x >= 0 && x <= n)) throw new RangeError(`need integers 0 ≤ x ≤ n, got ${x} of ${n}`);
  const confidence = 1 - alpha;
  if (n === 0) return { lower: 0, upper: 1, confidence };
  const bound = Math.log(1 / alpha);
  const marginal = logMarginal(x, n, prior);
  const inside = (p: number) => marginal - logLikelihood(x, n, p) < bound;
  const centre = x / n;
  // The centre (the maximum-likelihood p) is always inside: M_n(x/n) ≤ 1 < 1/α.
  const lower = x === 0 ? 0 : bisect(inside, centre, 0);
  const upper = x === n ? 1 : bisect(inside, centre, 1);
  return { lower, upper, confidence };
}

/** The edge between `inside` (true at `from`) and outside, towards `to`, to 1e-10. */
function bisect(inside: (p: number) => boolean, from: number, to: number): number {
  let a = from;
  let b = to;
  if (inside(b)) return b;
  for (let i = 0; i < 60 && Math.abs(b - a) > 1e-10; i++) {
    const mid = (a + b) / 2;
    if (inside(mid)) a = mid;
    else b = mid;
  }
  // Round outward: the reported bound must not cut into the set.
  return b;
}

/** p_canary − p_stable: the two arms' sequences at α/2 each, combined by the union bound. */
export function differenceConfidenceSequence(xc: number, nc: number, xs: number, ns: number, alpha: number, prior: BetaPrior = UNIFORM): ConfidenceSequenceInterval {
  const c = proportionConfidenceSequence(xc, nc, alpha / 2, prior);
  const s = proportionConfidenceSequence(xs, ns, alpha / 2, prior);
  return { lower: c.lower - s.upper, upper: c.upper - s.lower, confidence: 1 - alpha };
}
