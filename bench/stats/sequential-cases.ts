/**
 * The sequential cases of bench/stats (issue 22), run by `run.ts --sequential` and rendered by
 * `renderSequentialSection`: per profile, at 100 requests per second per version over a 60 s step,
 * A/A (with the fixed tests peeked every second), a canary with 5% errors against 0.5%, and a canary
 * 10% and 25% slower. Figures: time to rollback (median, p95; requests per version and seconds),
 * power at the step's end beside the fixed tests', A/A false alarms beside the fixed tests' peeked.
 */
import { quantile } from 'simple-statistics';
import { wilsonInterval } from '../../src/analysis/stats/proportions.js';
import { SEQUENTIAL_TESTS, simulateSequential, type SequentialCase, type SequentialOutcome, type SequentialTestName } from './sequential.js';

/** One case's outcome. */
export interface SequentialRow {
  /** Capture profile. */
  profile: string;
  /** Case name. */
  name: 'A/A' | '5% errors vs 0.5%' | 'latency ×1.1' | 'latency ×1.25';
  /** What was simulated. */
  setup: Omit<SequentialCase, 'trials' | 'seed'>;
  /** The outcome. */
  outcome: SequentialOutcome;
}

const STEP = { perSecond: 100, seconds: 60 } as const;

/** Runs the four cases for one profile. */
export function runSequentialCases(profile: string, population: readonly number[], trials: number, seed: number): SequentialRow[] {
  const cases: [SequentialRow['name'], Omit<SequentialCase, 'trials' | 'seed'>][] = [
    ['A/A', { ...STEP, peekEvery: 1 }],
    ['5% errors vs 0.5%', { ...STEP, stableErrorRate: 0.005, canaryErrorRate: 0.05, peekEvery: 0 }],
    ['latency ×1.1', { ...STEP, slowdown: 1.1, peekEvery: 0 }],
    ['latency ×1.25', { ...STEP, slowdown: 1.25, peekEvery: 0 }],
  ];
  return cases.map(([name, setup], i) => ({ profile, name, setup, outcome: simulateSequential(population, { ...setup, trials, seed: seed + i }) }));
}

const pct = (k: number, n: number) => {
  const w = wilsonInterval(k, n, 0.95);
  return `${((100 * k) / n).toFixed(1)}% (${(100 * w.lower).toFixed(1)}–${(100 * w.upper).toFixed(1)})`;
};
const q = (xs: number[], p: number) => (xs.length === 0 ? '—' : String(Math.round(quantile(xs, p))));

/** The tests whose crossings a case is about (A/A: all of them, and any). */
const TESTS_OF: Record<SequentialRow['name'], readonly SequentialTestName[]> = {
  'A/A': SEQUENTIAL_TESTS,
  '5% errors vs 0.5%': ['relative error rate', 'error rate ≤ 1%'],
  'latency ×1.1': ['latency'],
  'latency ×1.25': ['latency'],
};

/** The fixed test beside a sequential one, at the step's end. */
function fixedAtEnd(o: SequentialOutcome, test: SequentialTestName | 'any'): number {
  if (test === 'latency') return o.fixedLatencyAtEnd;
  if (test === 'any') return o.fixedAlarmsAtEnd;
  return o.fixedErrorRateAtEnd;
}

/** The markdown subsection. */
export function renderSequentialSection(rows: readonly SequentialRow[]): string {
  const lines = ['### Sequential analysis (issue 22, `src/analysis/sequential/`)', ''];
  lines.push(
    'One simulated 60 s step at 100 requests per second per version (6,000 each), judged second by second by three anytime-valid tests, each at α = 0.01: the relative error rate (canary against stable: conditional odds-ratio mixture), the absolute error rate (canary against an SLO of at most 1%: likelihood-ratio mixture) and the latency (canary against stable, any slowdown: rank-score bets tuned to the step\'s 6,000 requests). Beside them, the fixed tests (relative-latency with allowedIncrease 0% and relative-error-rate, confidence 0.98) at the step\'s end and — for A/A — peeked at every second, stopping at the first fail. Requests per version = seconds × 100.',
    '',
  );
  lines.push('| profile | case | sequential test | trials | rolled back by the step\'s end | by 200 / 3,600 per version | median / p95 requests per version | median / p95 seconds | fixed test at the end | fixed tests peeked every second |');
  lines.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const o = r.outcome;
    const tests: (SequentialTestName | 'any')[] = r.name === 'A/A' ? [...TESTS_OF[r.name], 'any'] : [...TESTS_OF[r.name]];
    for (const test of tests) {
      const seconds = test === 'any' ? o.anyRollbackSeconds : o.rollbackSeconds[test];
      const requests = seconds.map((x) => x * r.setup.perSecond);
      const by = (k: number) => pct(requests.filter((x) => x <= k).length, o.trials);
      const peeked = r.setup.peekEvery === 1 && test === 'any' ? pct(o.fixedAlarmsPeeked, o.trials) : '—';
      lines.push(
        `| ${r.profile} | ${r.name} | ${test === 'any' ? 'any of the three' : test} | ${o.trials} | ${pct(seconds.length, o.trials)} | ${by(200)} / ${by(3600)} | ${q(requests, 0.5)} / ${q(requests, 0.95)} | ${q(seconds, 0.5)} / ${q(seconds, 0.95)} | ${pct(fixedAtEnd(o, test), o.trials)} | ${peeked} |`,
      );
    }
    if (r.name === '5% errors vs 0.5%') {
      const seconds = o.oracleRollbackSeconds;
      const requests = seconds.map((x) => x * r.setup.perSecond);
      const by = (k: number) => pct(requests.filter((x) => x <= k).length, o.trials);
      lines.push(`| ${r.profile} | ${r.name} | *oracle bound for the relative test* | ${o.trials} | ${pct(seconds.length, o.trials)} | ${by(200)} / ${by(3600)} | ${q(requests, 0.5)} / ${q(requests, 0.95)} | ${q(seconds, 0.5)} / ${q(seconds, 0.95)} | — | — |`);
    }
  }
  lines.push('', 'Percentiles are over the trials that rolled back. For A/A every rollback is a false alarm (goal: ≤ 1% per test); "any of the three" is the step\'s rate, at most the sum of the tests\' α. In the 5% errors case the latency is unchanged, and in the latency cases nothing fails, so the other tests are A/A there too. The *oracle bound* is not a test anyone can run: the SPRT of the same per-second tables at the true odds ratio (10.5) against 1, crossing 1/α = 100 — it knows the effect in advance, and no test with the same false-alarm bound stops sooner on average (Wald–Wolfowitz), so it shows how fast the relative test could possibly be on these draws.', '');
  lines.push(...renderGoals(rows));
  return lines.join('\n');
}

/** The goals, judged on the rows. */
function renderGoals(rows: readonly SequentialRow[]): string[] {
  const out = ['| goal | measured | verdict |', '|---|---|---|'];
  const median = (xs: number[], per: number) => (xs.length ? quantile(xs, 0.5) * per : Infinity);
  for (const r of rows.filter((x) => x.name === '5% errors vs 0.5%')) {
    const rel = median(r.outcome.rollbackSeconds['relative error rate'], r.setup.perSecond);
    const abs = median(r.outcome.rollbackSeconds['error rate ≤ 1%'], r.setup.perSecond);
    const oracle = median(r.outcome.oracleRollbackSeconds, r.setup.perSecond);
    const oracleBy200 = r.outcome.oracleRollbackSeconds.filter((x) => x * r.setup.perSecond <= 200).length;
    out.push(
      `| ${r.profile}: a canary with 5% errors rolled back within 200 requests per version (median) | SLO "error rate ≤ 1%": ${abs}; SLO "no worse than the stable" (0.5%): ${rel}, where even the oracle bound needs ${oracle} (by 200 in ${pct(oracleBy200, r.outcome.trials)}) | ${abs <= 200 ? '✅ met' : '❌ not met'} for the absolute SLO; relative: ${rel <= 200 ? '✅ met' : oracle > 200 ? '❌ not met, at the information limit: the oracle, knowing the effect, does not meet it either' : '❌ not met'} |`,
    );
  }
  for (const r of rows.filter((x) => x.name === 'latency ×1.1' && x.profile === 'tail')) {
    const k = r.outcome.rollbackSeconds.latency.filter((x) => x * r.setup.perSecond <= 3600).length;
    out.push(`| tail: a 10% latency regression detected by 3,600 per version in ≥ 90% | ${pct(k, r.outcome.trials)} | ${k / r.outcome.trials >= 0.9 ? '✅ met' : '❌ not met'} |`);
  }
  for (const r of rows.filter((x) => x.name === 'A/A')) {
    const worst = Math.max(...SEQUENTIAL_TESTS.map((t) => r.outcome.rollbackSeconds[t].length));
    out.push(`| ${r.profile}: A/A false alarms ≤ 1% per test, looked at every second | worst test ${pct(worst, r.outcome.trials)} (fixed tests peeked: ${pct(r.outcome.fixedAlarmsPeeked, r.outcome.trials)}) | ${worst / r.outcome.trials <= 0.01 ? '✅ met' : '❌ not met'} |`);
  }
  out.push('');
  return out;
}
