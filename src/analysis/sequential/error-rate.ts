/**
 * The sequential error-rate test: canary against stable, fed once a second. Two anytime-valid parts
 * (README.md: formulas and why each holds under continuous monitoring):
 * - **regression**: the conditional odds-ratio e-process (`odds-ratio-e-process.ts`) against
 *   "the canary's error odds are at most `regressionOddsRatio` × the stable's", and, when
 *   `allowedIncrease` > 0, also the confidence sequence's lower bound above `allowedIncrease`;
 * - **non-inferiority**: the confidence sequence of p_canary − p_stable (`proportion-cs.ts`) wholly
 *   below `nonInferiorityMargin`.
 * The first to hold decides, and the decision then stays (one stops at the first crossing).
 */
import { createOddsRatioEProcess } from './odds-ratio-e-process.js';
import { differenceConfidenceSequence, type BetaPrior } from './proportion-cs.js';
import { createDecisionTracker } from './decision.js';
import type { ArmCounts, SequentialErrorRateTest } from './types.js';

/** Options of {@link createSequentialErrorRateTest}. */
export interface SequentialErrorRateOptions {
  /** The false-alarm bound α, under continuous monitoring. @default 0.01 */
  alpha?: number;
  /** The canary regresses if its error odds exceed this × the stable's (1: any increase). @default 1 */
  regressionOddsRatio?: number;
  /** And, when > 0, only if its error rate also exceeds the stable's by more than this (a fraction: 0.01 = 1 point). @default 0 */
  allowedIncrease?: number;
  /** The canary is non-inferior once its error rate is certainly below the stable's + this (a fraction). @default 0.01 */
  nonInferiorityMargin?: number;
  /** Scale of the half-normal mixing prior on log odds ratio (log 4: effects up to about ×4 are weighted most). @default 1.4 */
  priorScale?: number;
  /** Whether each update holds one second's counts or the totals so far. @default 'incremental' */
  counts?: 'incremental' | 'cumulative';
  /** The Beta prior of the per-arm confidence sequences. @default { a: 1, b: 1 } */
  prior?: BetaPrior;
}

/** Creates the test (see the file's comment). */
export function createSequentialErrorRateTest(options: SequentialErrorRateOptions = {}): SequentialErrorRateTest {
  const alpha = options.alpha ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const allowed = options.allowedIncrease ?? 0;
  const margin = options.nonInferiorityMargin ?? 0.01;
  const prior = options.prior ?? { a: 1, b: 1 };
  const cumulative = options.counts === 'cumulative';
  const odds = createOddsRatioEProcess({ nullOddsRatio: options.regressionOddsRatio ?? 1, side: 'greater', priorScale: options.priorScale ?? 1.4 });
  const tracker = createDecisionTracker(1 / alpha);
  const total = { canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } };
  // The second's own counts, checked before anything is added, so a bad update leaves the test as it was.
  const delta = (next: ArmCounts, sum: ArmCounts): ArmCounts => {
    checkArm(next);
    if (!cumulative) return next;
    if (next.requests < sum.requests || next.errors < sum.errors) throw new RangeError('cumulative counts went down');
    const d = { requests: next.requests - sum.requests, errors: next.errors - sum.errors };
    checkArm(d);
    return d;
  };
  const add = (sum: ArmCounts, d: ArmCounts) => {
    sum.requests += d.requests;
    sum.errors += d.errors;
  };
  return {
    update(counts) {
      const c = delta(counts.canary, total.canary);
      const s = delta(counts.stable, total.stable);
      add(total.canary, c);
      add(total.stable, s);
      const eValue = odds.update(c.errors, c.requests, s.errors, s.requests);
      const { canary, stable } = total;
      const interval = differenceConfidenceSequence(canary.errors, canary.requests, stable.errors, stable.requests, alpha, prior);
      return tracker.record({
        eValue,
        regression: eValue >= 1 / alpha && (allowed <= 0 || interval.lower > allowed),
        nonInferior: interval.upper < margin,
        samples: { canary: canary.requests, stable: stable.requests },
        interval,
      });
    },
    result: () => tracker.current(),
  };
}

function checkArm(a: ArmCounts): void {
  if (!(Number.isInteger(a.requests) && Number.isInteger(a.errors) && a.errors >= 0 && a.errors <= a.requests)) {
    throw new RangeError(`need integers 0 ≤ errors ≤ requests, got ${a.errors} of ${a.requests}`);
  }
}
