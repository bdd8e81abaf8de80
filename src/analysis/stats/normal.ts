/**
 * The standard normal CDF and quantile to double precision. simple-statistics' `probit` is an
 * approximation good to about 3 digits (probit(0.975) = 1.9572, not 1.95996), too coarse for the
 * confidence bounds a canary verdict rests on; it serves here only as Newton's starting point.
 */
import { probit } from 'simple-statistics';

/**
 * erf by the series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive,
 * so no cancellation (the alternating Taylor series loses all digits near |x| = 6).
 */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x); // |1 − erf(6)| < 2.2e-17
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 500 && term > sum * 1e-17; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * ((2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum);
}

/** Φ(x): P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** Φ⁻¹(p) for p in (0, 1), by Newton's method on {@link normalCdf}. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  let x = probit(p);
  for (let i = 0; i < 50; i++) {
    const step = (normalCdf(x) - p) / (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI));
    x -= step;
    if (Math.abs(step) < 1e-13 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
