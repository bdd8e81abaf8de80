/**
 * The sequential cases of bench/stats (issue 22), run by `run.ts --sequential` and rendered by
 * `renderSequentialSection`: per profile, at 100 requests per second per version over a 60 s step,
 * A/A (with the fixed tests peeked every second), a canary with 5% errors against 0.5%, and a canary
 * 10% and 25% slower. Figures: time to rollback (median, p95; requests per version and seconds),
 * power at the step's end beside the fixed tests', A/A false alarms beside the fixed tests' peeked.
 */
import { quantile } from 'simple-statistics';
import { wilsonInterval } from '../../src/analysis/stats/proportions.js';
import { simulateSequential, type SequentialCase, type SequentialOutcome } from './sequential.js';

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

/** The markdown subsection. */
export function renderSequentialSection(rows: readonly SequentialRow[]): string {
  const lines = ['### Sequential analysis (issue 22, `src/analysis/sequential/`)', ''];
  lines.push(
    'One simulated 60 s step at 100 requests per second per version, judged second by second by the anytime-valid tests (α = 0.01), and by the fixed tests (relative-latency and relative-error-rate, defaults) at the step\'s end and — for A/A — peeked at every second.',
    '',
  );
  lines.push('| profile | case | trials | rolled back by the sequential tests | by 200 / 3,600 per version | median / p95 requests per version | median / p95 seconds | fixed tests at the end | fixed tests peeked every second |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const o = r.outcome;
    const n = o.sequentialRollbackRequests.length;
    const by = (k: number) => pct(o.sequentialRollbackRequests.filter((x) => x <= k).length, o.trials);
    const peeked = r.setup.peekEvery === 1 ? pct(o.fixedAlarmsPeeked, o.trials) : '—';
    lines.push(
      `| ${r.profile} | ${r.name} | ${o.trials} | ${pct(n, o.trials)} | ${by(200)} / ${by(3600)} | ${q(o.sequentialRollbackRequests, 0.5)} / ${q(o.sequentialRollbackRequests, 0.95)} | ${q(o.sequentialRollbackSeconds, 0.5)} / ${q(o.sequentialRollbackSeconds, 0.95)} | ${pct(o.fixedAlarmsAtEnd, o.trials)} | ${peeked} |`,
    );
  }
  lines.push('', 'Percentiles are over the trials that rolled back. For A/A every rollback is a false alarm (goal: ≤ 1%).', '');
  return lines.join('\n');
}
