/**
 * Regressions between consecutive runs of one experiment, judged with the SLOs' own statistics on
 * the canary (the version under test) of each run's last step:
 *
 * - latency: the Mann-Whitney U test on the two runs' latency distributions (the 1% buckets the
 *   index keeps), as the relative-latency SLO ranks canary against stable, with the Hodges-Lehmann
 *   shift for the size. A regression is significant at the per-test α (two-sided p < α, shift
 *   upward) and at least `minLatencyShift` of the previous run's median. It tests a shift of the
 *   whole distribution: a change in the tail alone (p99 only) can go unflagged.
 * - error rate: Newcombe's interval of the difference of two proportions (this run − the previous
 *   one), as the relative-error-rate SLO; a regression when the interval at 1 − α lies above 0.
 *
 * α is family-wise per pair of runs: each of the two tests runs at α/2 (Bonferroni), so A/A noise
 * is flagged in at most α of the pairs.
 */
import { hodgesLehmannWeighted } from '../analysis/stats/hodges-lehmann.js';
import { mannWhitneyWeighted } from '../analysis/stats/mann-whitney.js';
import { newcombeDifference } from '../analysis/stats/proportions.js';
import { weightedMedian } from '../analysis/stats/weighted-sample.js';
import type { HistoryEntry } from './entry-schema.js';
import { expandLatency } from './latency-buckets.js';

/** Settings of the regression test. */
export interface RegressionSettings {
  /** Family-wise significance level per pair of runs. @default 0.01 */
  alpha: number;
  /** Smallest upward latency shift flagged, a fraction of the previous median. @default 0.05 */
  minLatencyShift: number;
  /** Fewest canary requests in each run's last step for either test. @default 20 */
  minRequests: number;
}

/** The defaults. */
export const DEFAULT_REGRESSION_SETTINGS: RegressionSettings = { alpha: 0.01, minLatencyShift: 0.05, minRequests: 20 };

/** One test's outcome between a run and the one before it. */
export interface TestOutcome {
  /** "regression": significantly worse and by enough; "no-data": not testable (too few requests, no distribution kept). */
  verdict: 'regression' | 'ok' | 'no-data';
  /** Latency: the Hodges-Lehmann shift relative to the previous median; error rate: the difference (fraction). @default absent for no-data */
  change?: number;
  /** Latency: the two-sided Mann-Whitney p-value. @default absent */
  p?: number;
  /** Error rate: Newcombe's interval of the difference at 1 − α/2. @default absent */
  interval?: { lower: number; upper: number };
  /** Why, in words (for no-data). */
  note?: string;
}

/** A run compared with the previous run of its experiment. */
export interface RegressionCheck {
  /** The previous run's directory (relative to the reports root). */
  previousRunDir: string;
  /** The latency test. */
  latency: TestOutcome;
  /** The error-rate test. */
  errorRate: TestOutcome;
  /** Either test found a regression. */
  regressed: boolean;
}

/** One sentence stating the tests and the levels, for `history` and the trend page. */
export function describeRegressionTest(s: RegressionSettings = DEFAULT_REGRESSION_SETTINGS): string {
  const each = s.alpha / 2;
  return (
    `regression: the canary's last step against the previous run of the same experiment; ` +
    `latency by Mann-Whitney U on the latency distributions (two-sided, α = ${each}) with a Hodges-Lehmann shift of at least ${Math.round(s.minLatencyShift * 100)}% of the previous median; ` +
    `error rate by Newcombe's interval of the difference of two proportions (${(1 - each) * 100}%) above 0; ` +
    `family-wise α = ${s.alpha} per pair (Bonferroni), at least ${s.minRequests} requests in each`
  );
}

function latencyTest(current: HistoryEntry, previous: HistoryEntry, s: RegressionSettings): TestOutcome {
  const a = current.latency?.canary;
  const b = previous.latency?.canary;
  if (!a || !b) return { verdict: 'no-data', note: `no latency distribution kept in ${a ? 'the previous' : 'this'} run` };
  const x = expandLatency(a);
  const y = expandLatency(b);
  if (x.n < s.minRequests || y.n < s.minRequests) return { verdict: 'no-data', note: `fewer than ${s.minRequests} canary requests` };
  const median = weightedMedian(y);
  if (!(median > 0)) return { verdict: 'no-data', note: 'the previous median is 0' };
  const mw = mannWhitneyWeighted(x, y);
  const hl = hodgesLehmannWeighted(x, y, 1 - s.alpha / 2);
  const change = hl.shift / median;
  const regressed = mw.pTwoSided < s.alpha / 2 && hl.shift > 0 && change >= s.minLatencyShift;
  return { verdict: regressed ? 'regression' : 'ok', change, p: mw.pTwoSided };
}

function errorRateTest(current: HistoryEntry, previous: HistoryEntry, s: RegressionSettings): TestOutcome {
  const a = current.lastStep?.canary;
  const b = previous.lastStep?.canary;
  if (!a || !b || a.count < s.minRequests || b.count < s.minRequests) return { verdict: 'no-data', note: `fewer than ${s.minRequests} canary requests` };
  const d = newcombeDifference(Math.min(a.errors, a.count), a.count, Math.min(b.errors, b.count), b.count, 1 - s.alpha / 2);
  return { verdict: d.lower > 0 ? 'regression' : 'ok', change: d.difference, interval: { lower: d.lower, upper: d.upper } };
}

/** Compares `current` with `previous` (the run of the same experiment just before it). */
export function compareRuns(current: HistoryEntry, previous: HistoryEntry, settings: RegressionSettings = DEFAULT_REGRESSION_SETTINGS): RegressionCheck {
  const latency = latencyTest(current, previous, settings);
  const errorRate = errorRateTest(current, previous, settings);
  return { previousRunDir: previous.runDir, latency, errorRate, regressed: latency.verdict === 'regression' || errorRate.verdict === 'regression' };
}

/**
 * The regression check of every entry against the previous entry of its experiment (by start
 * time; A/A runs only against A/A runs, whose "canary" is half the stable); the first run of an
 * experiment has none. Keyed by the entry object; with `only`, just those entries are judged.
 */
export function findRegressions(
  entries: readonly HistoryEntry[],
  settings: RegressionSettings = DEFAULT_REGRESSION_SETTINGS,
  // About a millisecond per pair: judge only the runs to be shown, each against its predecessor in `entries`.
  only?: ReadonlySet<HistoryEntry>,
): Map<HistoryEntry, RegressionCheck> {
  const out = new Map<HistoryEntry, RegressionCheck>();
  const last = new Map<string, HistoryEntry>();
  for (const e of [...entries].sort((a, b) => a.startedAt - b.startedAt)) {
    const key = JSON.stringify([e.experiment, e.aa === true]);
    const previous = last.get(key);
    if (previous && (!only || only.has(e))) out.set(e, compareRuns(e, previous, settings));
    last.set(key, e);
  }
  return out;
}
