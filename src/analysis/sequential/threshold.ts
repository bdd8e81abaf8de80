/**
 * The sequential test of an absolute SLO: one version's share of "bad" requests against a fixed
 * bound p₀ — errors for `error-rate` (max 1%), or requests slower than the bound for `latency`
 * (p99 ≤ 200 ms is "at most 1% slower than 200 ms"). Fed once a second with that second's counts.
 *
 * - **Regression** (the SLO is certainly broken): a mixture of likelihood ratios against p ≤ p₀,
 *   E_t = Σ_j π_j (p_j/p₀)^x ((1 − p_j)/(1 − p₀))^(n − x) over alternatives p_j > p₀ spaced in log
 *   odds with the half-normal prior (`half-normal-prior.ts`). Each ratio has mean exactly 1 at
 *   p = p₀ and less below it (its mean p·p_j/p₀ + (1 − p)(1 − p_j)/(1 − p₀) grows with p), so E_t is
 *   a test supermartingale for every p ≤ p₀, and by Ville P(sup_t E_t ≥ 1/α) ≤ α.
 * - **Non-inferiority** (the SLO is certainly met): the mirrored mixture over p_j < p₀ against
 *   p ≥ p₀ reaches 1/α.
 * - **Confidence sequence** of p: Robbins' beta-binomial mixture (`proportion-cs.ts`).
 *
 * Unlike the two-version tests, this one has no drift protection: it assumes the version's requests
 * are independent with one rate over the step, like the fixed check it stands beside.
 * Samples: a one-version test reports its requests in `samples.canary` and 0 in `samples.stable`.
 */
import { createDecisionTracker } from './decision.js';
import { halfNormalGrid, mixture } from './half-normal-prior.js';
import { proportionConfidenceSequence } from './proportion-cs.js';
import type { ArmCounts, SequentialThresholdTest } from './types.js';

/** Options of {@link createSequentialThresholdTest}. */
export interface SequentialThresholdOptions {
  /** The bound p₀ on the share of bad requests, in (0, 1): 0.01 for "error rate ≤ 1%" or for "p99 ≤ bound". */
  bound: number;
  /** The false-alarm bound α, under continuous monitoring. @default 0.01 */
  alpha?: number;
  /** Scale of the half-normal prior on |log odds(p) − log odds(p₀)| (1.4: odds up to about ×4 weighted most). @default 1.4 */
  priorScale?: number;
  /** Grid points of the prior. @default 32 */
  gridPoints?: number;
}

/** Creates the test (see the file's comment). */
export function createSequentialThresholdTest(options: SequentialThresholdOptions): SequentialThresholdTest {
  const { bound } = options;
  const alpha = options.alpha ?? 0.01;
  if (!(bound > 0 && bound < 1)) throw new RangeError(`bound must be in (0, 1), got ${bound}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const { effects, logWeights } = halfNormalGrid(options.priorScale ?? 1.4, options.gridPoints ?? 32);
  const logOdds0 = Math.log(bound / (1 - bound));
  // Per grid point and side: log(p_j/p₀) for a bad request, log((1 − p_j)/(1 − p₀)) for a good one.
  const side = (sign: number) => {
    const p = Array.from(effects, (u) => 1 / (1 + Math.exp(-(logOdds0 + sign * u))));
    return { bad: p.map((q) => Math.log(q / bound)), good: p.map((q) => Math.log1p(-q) - Math.log1p(-bound)) };
  };
  const above = side(1);
  const below = side(-1);
  const logLr = new Float64Array(effects.length);
  const eValue = (s: { bad: number[]; good: number[] }, x: number, n: number) => {
    for (let j = 0; j < logLr.length; j++) logLr[j] = x * s.bad[j]! + (n - x) * s.good[j]!;
    return mixture(logLr, logWeights);
  };
  const tracker = createDecisionTracker(1 / alpha);
  const total: ArmCounts = { requests: 0, errors: 0 };
  return {
    update(counts) {
      const { requests, errors } = counts;
      if (!(Number.isInteger(requests) && Number.isInteger(errors) && errors >= 0 && errors <= requests)) {
        throw new RangeError(`counts must be integers with 0 ≤ errors ≤ requests, got ${errors}/${requests}`);
      }
      total.requests += requests;
      total.errors += errors;
      const { errors: x, requests: n } = total;
      const e = eValue(above, x, n);
      const eNonInferior = eValue(below, x, n);
      return tracker.record({
        eValue: e,
        nonInferiorityEValue: eNonInferior,
        regression: e >= 1 / alpha,
        nonInferior: eNonInferior >= 1 / alpha,
        samples: { canary: n, stable: 0 },
        interval: proportionConfidenceSequence(x, n, alpha),
      });
    },
    result: () => tracker.current(),
  };
}
