/**
 * The sequential latency test: is the canary's latency distribution shifted toward slower buckets
 * than the stable's? At a few levels q (default the stable's p50, p90, p99), each second becomes a
 * 2×2 table — requests slower than the stable's q-quantile, of all requests, per version — judged by
 * the conditional odds-ratio e-process (`odds-ratio-e-process.ts`). The cut points come from the
 * stable's counts of the seconds before, so they are fixed before the second they judge (predictable),
 * and the null "both versions draw from the same distribution within each second" makes every
 * table's conditional law exactly the central hypergeometric, whatever the load, the drift of the
 * latencies over time, or the traffic split.
 *
 * - regression: the weighted mean of the levels' e-processes (a fixed-weight mean of test martingales
 *   is one) ≥ 1/α;
 * - non-inferiority: at every level, the mirrored e-process against "the canary's odds of being
 *   slower are at least `nonInferiorityOddsRatio` × the stable's" ≥ 1/α (an intersection–union test:
 *   no correction is needed, since rejecting all nulls needs rejecting the true one).
 */
import { createDecisionTracker } from './decision.js';
import { createOddsRatioConfidenceSequence } from './odds-ratio-cs.js';
import { createOddsRatioEProcess, hypergeometricTable } from './odds-ratio-e-process.js';
import type { LatencyBuckets, SequentialLatencyTest } from './types.js';

/** Options of {@link createSequentialLatencyTest}. */
export interface SequentialLatencyOptions {
  /** The false-alarm bound α, under continuous monitoring. @default 0.01 */
  alpha?: number;
  /** The stable's quantiles (0 < q < 1) that cut "slow" from "fast". @default [0.5, 0.9, 0.99] */
  quantiles?: readonly number[];
  /** Weights of the cuts' e-processes in the regression e-value (normalised; any fixed weights keep it an e-process). @default equal */
  cutWeights?: readonly number[];
  /** Regression: the canary's odds of being slower than a cut exceed this × the stable's (1: any shift). @default 1 */
  regressionOddsRatio?: number;
  /** Non-inferiority: at every cut, those odds are certainly below this × the stable's. @default 1.5 */
  nonInferiorityOddsRatio?: number;
  /** Scale of the half-normal mixing prior on log odds ratio (0.4: shifts of odds up to about ×1.5 weigh most). @default 0.4 */
  priorScale?: number;
  /** Stable samples needed before the cut points are set and tables are judged (at least 1). @default 100 */
  warmupSamples?: number;
  /**
   * Also keep a confidence sequence (`odds-ratio-cs.ts`) for the odds ratio at the first cut (by default:
   * the canary's odds of being slower than the stable's median, over the stable's), as `interval`.
   * Costs about 0.1–0.3 ms an update. @default false
   */
  confidenceSequence?: boolean;
}

/** Creates the test (see the file's comment). Updates hold one second's counts (incremental). */
export function createSequentialLatencyTest(options: SequentialLatencyOptions = {}): SequentialLatencyTest {
  const alpha = options.alpha ?? 0.01;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  const quantiles = options.quantiles ?? [0.5, 0.9, 0.99];
  if (quantiles.length === 0 || quantiles.some((q) => !(q > 0 && q < 1))) throw new RangeError('quantiles must be a non-empty list of numbers in (0, 1)');
  const warmup = options.warmupSamples ?? 100;
  const rawWeights = options.cutWeights ?? quantiles.map(() => 1);
  if (rawWeights.length !== quantiles.length || rawWeights.some((w) => !(w >= 0)) || !rawWeights.some((w) => w > 0)) {
    throw new RangeError('cutWeights needs one weight ≥ 0 per quantile, not all 0');
  }
  const weightSum = rawWeights.reduce((a, b) => a + b, 0);
  const weights = rawWeights.map((w) => w / weightSum);
  const priorScale = options.priorScale ?? 0.4;
  const regression = quantiles.map(() => createOddsRatioEProcess({ nullOddsRatio: options.regressionOddsRatio ?? 1, side: 'greater', priorScale }));
  const nonInferior = quantiles.map(() =>
    createOddsRatioEProcess({ nullOddsRatio: options.nonInferiorityOddsRatio ?? 1.5, side: 'less', priorScale }),
  );
  const cs = options.confidenceSequence ? createOddsRatioConfidenceSequence({ alpha, priorScale }) : undefined;
  const history = createHistory();
  const samples = { canary: 0, stable: 0 };
  const tracker = createDecisionTracker(1 / alpha);
  return {
    update({ canary, stable }) {
      const nc = totalOf(canary);
      const ns = totalOf(stable);
      if (history.total >= Math.max(1, warmup)) {
        const cuts = history.cutPoints(quantiles);
        cuts.forEach((cut, j) => {
          const xc = countAbove(canary, cut);
          const xs = countAbove(stable, cut);
          // One table, two processes (and the confidence sequence at the first cut).
          const table = hypergeometricTable(xc, nc, xs, ns);
          regression[j]!.updateTable(table, xc);
          nonInferior[j]!.updateTable(table, xc);
          if (j === 0) cs?.update(xc, nc, xs, ns);
        });
      }
      // Only now does this second join the history: its own cut points came from the seconds before.
      forEachBucket(stable, history.add);
      samples.canary += nc;
      samples.stable += ns;
      const eValue = regression.reduce((a, p, j) => a + weights[j]! * p.eValue(), 0);
      const nonInferiorityEValue = Math.min(...nonInferior.map((p) => p.eValue()));
      return tracker.record({
        eValue,
        nonInferiorityEValue,
        regression: eValue >= 1 / alpha,
        nonInferior: nonInferiorityEValue >= 1 / alpha,
        samples,
        ...(cs ? { interval: cs.interval() } : {}),
      });
    },
    result: () => tracker.current(),
  };
}

function forEachBucket(b: LatencyBuckets, f: (key: number, count: number) => void): void {
  const size = b.size ?? b.index.length;
  for (let i = 0; i < size; i++) {
    const n = b.count[i]!;
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`bucket counts must be integers ≥ 0, got ${n}`);
    if (i > 0 && !(b.index[i]! > b.index[i - 1]!)) throw new RangeError('bucket keys must be strictly ascending');
    if (n > 0) f(b.index[i]!, n);
  }
}

function totalOf(b: LatencyBuckets): number {
  let n = 0;
  forEachBucket(b, (_, c) => (n += c));
  return n;
}

/** Requests in buckets above `cut`. */
function countAbove(b: LatencyBuckets, cut: number): number {
  let n = 0;
  const size = b.size ?? b.index.length;
  for (let i = size - 1; i >= 0 && b.index[i]! > cut; i--) n += b.count[i]!;
  return n;
}

/** The stable's counts so far: bucket → count, with the keys kept sorted (new buckets are rare after the first seconds). */
interface History {
  /** Requests counted. */
  total: number;
  /** Counts `n` requests in bucket `key`. */
  add(key: number, n: number): void;
  /** The bucket holding each quantile (the first whose running count reaches ⌈q·total⌉); `quantiles` in any order. */
  cutPoints(quantiles: readonly number[]): number[];
}

function createHistory(): History {
  const counts = new Map<number, number>();
  const keys: number[] = [];
  const h: History = {
    total: 0,
    add(key, n) {
      const had = counts.get(key);
      if (had === undefined) keys.splice(lowerBound(keys, key), 0, key);
      counts.set(key, (had ?? 0) + n);
      h.total += n;
    },
    cutPoints(quantiles) {
      // One pass over the buckets for all levels, lowest level first.
      const order = quantiles.map((q, i) => ({ q, i })).sort((a, b) => a.q - b.q);
      const out = new Array<number>(quantiles.length).fill(keys[keys.length - 1]!);
      let running = 0;
      let next = 0;
      for (let b = 0; b < keys.length && next < order.length; b++) {
        running += counts.get(keys[b]!)!;
        while (next < order.length && running >= Math.max(1, Math.ceil(order[next]!.q * h.total))) out[order[next++]!.i] = keys[b]!;
      }
      return out;
    },
  };
  return h;
}

/** The first index of sorted `a` whose value is ≥ `v`. */
function lowerBound(a: readonly number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
