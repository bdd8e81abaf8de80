/**
 * The sequential latency test: is the canary's latency distribution slower than the stable's?
 * Fed once a second with both versions' bucket counts, it bets on the normal scores of each second's
 * pooled requests (`rank-score-e-process.ts`): exact under the null "within each second both
 * versions draw from one distribution", whatever the load, the latencies' drift over time, or the
 * traffic split.
 *
 * - regression: the canary is certainly more than `regressionMargin` slower — the bets against
 *   "canary ÷ (1 + margin) is not slower" reach 1/α;
 * - non-inferiority: it is certainly less than `nonInferiorityMargin` slower — the mirrored bets
 *   against "canary ÷ (1 + margin) is not faster" reach 1/α;
 * - confidence sequence (opt-in) of the latency ratio canary ÷ stable − 1, under a scale model: the
 *   ratios r of a grid (steps of 5% in log, ×0.37…×2.7) that neither one-sided test at α/2 rejects.
 */
import { createSeededRandom } from '../../seeded-random.js';
import { createDecisionTracker } from './decision.js';
import { createBettingProcess, dealSecond, type BettingProcess } from './rank-score-e-process.js';
import type { ConfidenceSequenceInterval, LatencyBuckets, SequentialLatencyTest } from './types.js';

/** Options of {@link createSequentialLatencyTest}. */
export interface SequentialLatencyOptions {
  /** The false-alarm bound α, under continuous monitoring. @default 0.01 */
  alpha?: number;
  /** Regression: the canary is certainly slower than the stable by more than this fraction (0: any slowdown). @default 0 */
  regressionMargin?: number;
  /** Non-inferiority: the canary is certainly slower by less than this fraction. @default 0.05 */
  nonInferiorityMargin?: number;
  /** Requests of the smaller version expected by the step's end: the bets are tuned to cross by then. @default 3600 */
  horizon?: number;
  /** Bucket key → latency in ms (the margins and the confidence sequence scale latencies); keys are ms when absent. @default identity */
  bucketValue?: (key: number) => number;
  /** Also keep the confidence sequence of canary ÷ stable − 1, as `interval` (41 ratios, each ranked every second). @default false */
  confidenceSequence?: boolean;
  /** Seed of the dealing's shuffles (the same seed, the same e-values). @default 1 */
  seed?: number;
}

const CS_STEP = 0.05;
const CS_HALF_WIDTH = 20;

/** Creates the test (see the file's comment). Updates hold one second's counts (incremental). */
export function createSequentialLatencyTest(options: SequentialLatencyOptions = {}): SequentialLatencyTest {
  const alpha = options.alpha ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const regressionMargin = options.regressionMargin ?? 0;
  const nonInferiorityMargin = options.nonInferiorityMargin ?? 0.05;
  if (!(regressionMargin >= 0) || !(nonInferiorityMargin > -1)) throw new RangeError('regressionMargin must be ≥ 0 and nonInferiorityMargin > −1');
  const horizon = options.horizon ?? 3600;
  const random = createSeededRandom(options.seed ?? 1);
  const deal = { random, ...(options.bucketValue ? { bucketValue: options.bucketValue } : {}) };
  const regression = createBettingProcess({ alpha, horizon, side: 'greater' });
  const nonInferior = createBettingProcess({ alpha, horizon, side: 'less' });
  const cs = options.confidenceSequence ? createRatioSequence(alpha, horizon) : undefined;
  const samples = { canary: 0, stable: 0 };
  const tracker = createDecisionTracker(1 / alpha);
  return {
    update({ canary, stable }) {
      const nc = totalOf(canary);
      const ns = totalOf(stable);
      const eValue = regression.update(dealSecond(canary, stable, { ...deal, scale: 1 + regressionMargin }));
      const nonInferiorityEValue = nonInferior.update(dealSecond(canary, stable, { ...deal, scale: 1 + nonInferiorityMargin }));
      const interval = cs?.update((scale) => dealSecond(canary, stable, { ...deal, scale }));
      samples.canary += nc;
      samples.stable += ns;
      return tracker.record({
        eValue,
        nonInferiorityEValue,
        regression: eValue >= 1 / alpha,
        nonInferior: nonInferiorityEValue >= 1 / alpha,
        samples,
        ...(interval ? { interval } : {}),
      });
    },
    result: () => tracker.current(),
  };
}

/** The grid of ratios and its two one-sided processes per ratio, at α/2 each. */
function createRatioSequence(alpha: number, horizon: number) {
  const ratios = Array.from({ length: 2 * CS_HALF_WIDTH + 1 }, (_, i) => Math.exp((i - CS_HALF_WIDTH) * CS_STEP));
  const pairs: [BettingProcess, BettingProcess][] = ratios.map(() => [
    createBettingProcess({ alpha: alpha / 2, horizon, side: 'greater' }),
    createBettingProcess({ alpha: alpha / 2, horizon, side: 'less' }),
  ]);
  return {
    update(dealAt: (scale: number) => ReturnType<typeof dealSecond>): ConfidenceSequenceInterval {
      let lower = Infinity;
      let upper = -Infinity;
      ratios.forEach((r, i) => {
        const second = dealAt(r);
        const [greater, less] = pairs[i]!;
        // Each ratio's two processes are updated every second, so a ratio rejected once stays judged on all its evidence.
        const eGreater = greater.update(second);
        const eLess = less.update(second);
        const kept = eGreater < 2 / alpha && eLess < 2 / alpha;
        if (kept) {
          lower = Math.min(lower, r - 1);
          upper = Math.max(upper, r - 1);
        }
      });
      // Nothing kept (the truth lies off the grid, or a rare miss): say so with an empty interval at the grid's edge.
      if (lower > upper) return { lower: NaN, upper: NaN, confidence: 1 - alpha };
      // Widened by one grid step each way: between grid points the sequence is right to the grid's resolution.
      return { lower: lower === ratios[0]! - 1 ? -1 : (1 + lower) * Math.exp(-CS_STEP) - 1, upper: upper === ratios.at(-1)! - 1 ? Infinity : (1 + upper) * Math.exp(CS_STEP) - 1, confidence: 1 - alpha };
    },
  };
}

function totalOf(b: LatencyBuckets): number {
  let n = 0;
  const size = b.size ?? b.index.length;
  for (let i = 0; i < size; i++) {
    const c = b.count[i]!;
    if (!(Number.isInteger(c) && c >= 0)) throw new RangeError(`bucket counts must be integers ≥ 0, got ${c}`);
    if (i > 0 && !(b.index[i]! > b.index[i - 1]!)) throw new RangeError('bucket keys must be strictly ascending');
    n += c;
  }
  return n;
}
