/**
 * The mixing prior every e-process of this folder uses: a half-normal law on the size of the effect
 * (a log odds ratio, or a log odds against a bound) with scale τ, discretised at `k` midpoints of
 * [0, 4τ] and renormalised. A proper discrete prior, so a mixture over it of likelihood ratios is
 * exactly a test martingale, not an approximation of one (README.md, "Prior").
 */

/** The grid and its weights. */
export interface HalfNormalGrid {
  /** Effect sizes u_j ≥ 0 (ascending). */
  effects: Float64Array;
  /** log π_j, summing (in exp) to 1. */
  logWeights: Float64Array;
}

/** Builds the grid for scale `tau` with `k` points. */
export function halfNormalGrid(tau: number, k: number): HalfNormalGrid {
  if (!(tau > 0) || !(Number.isInteger(k) && k >= 1)) throw new RangeError('priorScale must be > 0 and gridPoints an integer ≥ 1');
  const effects = Float64Array.from({ length: k }, (_, i) => ((i + 0.5) / k) * 4 * tau);
  const raw = Array.from(effects, (u) => Math.exp(-0.5 * (u / tau) ** 2));
  const total = raw.reduce((a, b) => a + b, 0);
  return { effects, logWeights: Float64Array.from(raw, (w) => Math.log(w / total)) };
}

/** Σ_j π_j exp(logLr_j), computed in log space so huge or tiny likelihood ratios neither overflow nor vanish. */
export function mixture(logLr: ArrayLike<number>, logWeights: ArrayLike<number>): number {
  let max = -Infinity;
  for (let j = 0; j < logLr.length; j++) max = Math.max(max, logLr[j]! + logWeights[j]!);
  if (max === -Infinity) return 0;
  let sum = 0;
  for (let j = 0; j < logLr.length; j++) sum += Math.exp(logLr[j]! + logWeights[j]! - max);
  return Math.exp(max) * sum;
}
