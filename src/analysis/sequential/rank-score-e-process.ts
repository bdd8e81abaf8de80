/**
 * A rank-score betting e-process for "the canary is slower than the stable", fed one second at a
 * time with both versions' latencies as sparse bucket counts. It keeps the ordinal information of
 * every request, where the cut-point tables of `latency.ts` keep a few bits.
 *
 * Each second: pool both versions' requests, give each the normal score of its mid-rank in the pool,
 * g = Φ⁻¹((rank − ½)/N) (van der Waerden), shuffle each version's requests with a seeded generator,
 * and deal them into groups of one request of the smaller version and k = ⌊L/S⌋ (or k + 1) of the
 * larger. In a group, T = (canary members' mean score) − (group's mean score).
 *
 * - **Validity.** Under the null "within each second both versions draw from one distribution"
 *   (it may drift from second to second), the labels of the second are a uniformly random split of
 *   the pooled requests given the pool; the scores depend on the pool only, and the random dealing
 *   does not look at values, so within every group the labels are a uniformly random assignment
 *   given the group's values, and E[T | past, pool, groups] = 0 exactly. A bet 1 + λT with
 *   |λT| < 1 then has conditional mean 1, a product of bets over groups and seconds is a test
 *   martingale, and so is a fixed mixture of such products over λ (Waudby-Smith & Ramdas, "Estimating
 *   means of bounded random variables by betting", JRSS B 86:1, 2024; Shafer & Vovk's testing by
 *   betting). Ville: P(sup_t E_t ≥ 1/α) ≤ α.
 * - **Power.** Normal scores are fully efficient for a shift of log-normal latencies (Chernoff &
 *   Savage 1958), and a group of one canary and k stable requests carries the two-sample information
 *   k/(k + 1), so the only losses are the dropped remainder and the bet's tuning. The bets λ_j are
 *   a small grid around λ_H = √(2 ln(1/α) / V_H), the bet that maximises the chance of crossing 1/α
 *   by a planned horizon where the score sum's variance is V_H (README.md, "Tuning to the step").
 * - **Margin.** With `scale` = 1 + m, each canary latency is divided by it before ranking: the test
 *   is then against "the canary is at most m slower" (exact at the margin for a scale family).
 */
import { probit } from 'simple-statistics';
import { mixture } from './half-normal-prior.js';
import type { LatencyBuckets } from './types.js';

/** One second dealt into groups: each group's T (canary members' mean score − the group's mean score). */
export interface DealtSecond {
  /** T per group. */
  t: Float64Array;
  /** The largest |score| of the second (|T| ≤ 2 × this). */
  maxAbs: number;
}

/** Options of {@link dealSecond}. */
export interface DealOptions {
  /** Canary latencies are divided by this before ranking (1 + a slowdown margin). @default 1 */
  scale?: number;
  /** Bucket key → latency value (for `scale`); keys are values when absent. @default identity */
  bucketValue?: (key: number) => number;
  /** The dealing's uniform random source (it never looks at values or labels). */
  random: () => number;
  /**
   * At most this many requests of each version are ranked a second, a uniform random sample of them
   * (still exact: a random sample of each version's draws is a draw from the same law). Bounds the
   * work at high rates, where the bets gain little from more requests than the horizon needs. @default 1000
   */
  maxPerSecond?: number;
}

/** Ranks one second's pooled requests, shuffles each version and deals them into groups (see the file's comment). */
export function dealSecond(canary: LatencyBuckets, stable: LatencyBuckets, options: DealOptions): DealtSecond {
  const scale = options.scale ?? 1;
  const valueOf = options.bucketValue ?? ((k: number) => k);
  const cap = options.maxPerSecond ?? 1000;
  const c = sample(expand(canary, (k) => valueOf(k) / scale), cap, options.random);
  const s = sample(expand(stable, valueOf), cap, options.random);
  if (c.length === 0 || s.length === 0) return { t: new Float64Array(0), maxAbs: 0 };
  const { scoreC, scoreS, maxAbs } = normalScores(c, s);
  shuffle(scoreC, options.random);
  shuffle(scoreS, options.random);
  const canarySmaller = scoreC.length <= scoreS.length;
  const small = canarySmaller ? scoreC : scoreS;
  const large = canarySmaller ? scoreS : scoreC;
  const k = Math.floor(large.length / small.length);
  const extra = large.length - k * small.length;
  const t = new Float64Array(small.length);
  let next = 0;
  for (let i = 0; i < small.length; i++) {
    const size = k + (i < extra ? 1 : 0);
    let sumLarge = 0;
    for (let j = 0; j < size; j++) sumLarge += large[next++]!;
    const g = small[i]!;
    const groupMean = (g + sumLarge) / (size + 1);
    t[i] = (canarySmaller ? g : sumLarge / size) - groupMean;
  }
  return { t, maxAbs };
}

/** Options of {@link createBettingProcess}. */
export interface BettingProcessOptions {
  /** The false-alarm bound α the bets are tuned for. @default 0.01 */
  alpha?: number;
  /** Requests of the smaller version expected by the horizon the bets are tuned for (the step's end). @default 3600 */
  horizon?: number;
  /** 'greater': bets that T > 0 (the canary slower); 'less': that T < 0. @default 'greater' */
  side?: 'greater' | 'less';
}

/** Wealth of a mixture of bets on dealt seconds. */
export interface BettingProcess {
  /** Bets on one dealt second; returns the e-value. */
  update(second: DealtSecond): number;
  /** The e-value so far. */
  eValue(): number;
}

// Bets relative to λ_H and their prior weights: most on the tuned bet, some on bolder and
// shyer ones, so effects far from the planned one are still found (cost: ln(1/0.4) in the bound).
const BET_FACTORS = [0.5, Math.SQRT1_2, 1, Math.SQRT2, 2];
const BET_WEIGHTS = [0.1, 0.2, 0.4, 0.2, 0.1];

/** Creates the mixture of bets; see the file's comment. */
export function createBettingProcess(options: BettingProcessOptions = {}): BettingProcess {
  const alpha = options.alpha ?? 0.01;
  const horizon = options.horizon ?? 3600;
  if (!(alpha > 0 && alpha < 1) || !(horizon >= 1)) throw new RangeError('alpha in (0, 1) and horizon ≥ 1 are required');
  const sign = (options.side ?? 'greater') === 'greater' ? 1 : -1;
  // Normal scores have variance about 1; a group's T then has variance k/(k + 1) ≥ ½ (pairs), so
  // V_H ≥ horizon/2 and λ_H ≤ √(4 ln(1/α)/horizon).
  const lambdaH = Math.sqrt((2 * Math.log(1 / alpha)) / (horizon * 0.5));
  const lambdas = BET_FACTORS.map((f) => f * lambdaH);
  const logWeights = BET_WEIGHTS.map(Math.log);
  const logWealth = new Float64Array(lambdas.length);
  let current = 1;
  return {
    update({ t, maxAbs }) {
      if (t.length === 0) return current;
      // |T| ≤ 2·max|g|: capping λ at 1/(4·max|g|) keeps every bet 1 + λT ≥ ½, so no bet can ruin the wealth.
      const cap = 1 / (4 * Math.max(maxAbs, 1e-9));
      for (let b = 0; b < lambdas.length; b++) {
        const lambda = sign * Math.min(lambdas[b]!, cap);
        let sum = 0;
        for (let i = 0; i < t.length; i++) sum += Math.log1p(lambda * t[i]!);
        logWealth[b]! += sum;
      }
      current = mixture(logWealth, logWeights);
      return current;
    },
    eValue: () => current,
  };
}

/** The bucket values repeated by their counts. */
function expand(b: LatencyBuckets, value: (key: number) => number): number[] {
  const out: number[] = [];
  const size = b.size ?? b.index.length;
  for (let i = 0; i < size; i++) {
    const v = value(b.index[i]!);
    for (let c = b.count[i]!; c > 0; c--) out.push(v);
  }
  return out;
}

/** Normal scores of mid-ranks in the pool of both lists (ties share their mean rank). */
function normalScores(c: number[], s: number[]): { scoreC: number[]; scoreS: number[]; maxAbs: number } {
  const n = c.length + s.length;
  const pool = new Float64Array(n);
  pool.set(c);
  pool.set(s, c.length);
  pool.sort();
  // Mid-rank score per distinct value, looked up by binary search.
  const values: number[] = [];
  const scores: number[] = [];
  let maxAbs = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pool[j + 1] === pool[i]) j++;
    const midRank = (i + j) / 2 + 1;
    const g = probit((midRank - 0.5) / n);
    values.push(pool[i]!);
    scores.push(g);
    maxAbs = Math.max(maxAbs, Math.abs(g));
    i = j + 1;
  }
  const scoreOf = (v: number) => {
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return scores[lo]!;
  };
  return { scoreC: c.map(scoreOf), scoreS: s.map(scoreOf), maxAbs };
}

/** A uniform random sample of at most `cap` of `xs` (a partial Fisher–Yates; `xs` itself when it is small enough). */
function sample(xs: number[], cap: number, random: () => number): number[] {
  if (xs.length <= cap) return xs;
  for (let i = 0; i < cap; i++) {
    const j = i + Math.floor(random() * (xs.length - i));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs.slice(0, cap);
}

/** Fisher–Yates in place. */
function shuffle(xs: number[], random: () => number): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
}
