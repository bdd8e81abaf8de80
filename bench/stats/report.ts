/** Renders the `## Statistics` section of BENCHMARKS.md from a bench/stats run. */
import { wilsonInterval } from '../../src/analysis/stats/proportions.js';
import { renderSequentialSection, type SequentialRow } from './sequential-cases.js';
import type { SimulationOutcome } from './simulate.js';

/** One row: a profile, a sample size, the A/A and regression outcomes. */
export interface StatsRow {
  /** Capture profile. */
  profile: string;
  /** Requests per version. */
  n: number;
  /** A/A (slowdown 1). */
  aa: SimulationOutcome;
  /** Canary 10% slower by scale: every latency × 1.1. */
  scaled: SimulationOutcome;
  /** Canary 10% slower by shift: every latency + 10% of the population median. */
  shifted: SimulationOutcome;
}

/** Everything a run produced. */
export interface StatsBenchResult {
  /** ISO time. */
  date: string;
  /** Machine facts. */
  machine: { nproc: number; cpuModel: string; node: string; loadAverage?: { start: number; end: number } };
  /** Profiles: name, description, capture time, requests captured per version. */
  profiles: { profile: string; description: string; capturedAt: string; counts: Record<string, number>; medianMs: number; p99Ms: number }[];
  /** Rows. */
  rows: StatsRow[];
  /** The sequential cases, when run with --sequential. */
  sequential?: SequentialRow[];
}

const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)}%`;
const ci = (k: number, n: number) => {
  const w = wilsonInterval(k, n, 0.95);
  return `${(100 * w.lower).toFixed(1)}–${(100 * w.upper).toFixed(1)}`;
};
const rate = (k: number, n: number) => `${pct(k, n)} (${ci(k, n)})`;

/** The markdown section. */
export function renderStatsSection(r: StatsBenchResult, command: string): string {
  const lines: string[] = [];
  lines.push('## Statistics', '');
  lines.push(
    `How well the relative-latency SLO (\`kind: relative-latency\` with its defaults: Mann-Whitney U + Hodges-Lehmann, confidence 0.98, allowed increase +5%) tells a 10% slower canary from noise, beside the naive rule "canary p99 > stable p99 × 1.1" (the peer, judged on the same simulated samples in the same run, ${r.date}). ` +
      'Each trial draws n requests per version with replacement from latencies **captured on the local mesh** (real proxy, demo backends, built-in open-model generator; latency from the intended send time), folds them into the real sample recorder, and judges them with the real evaluator. ' +
      'A/A: both versions from the same population. A 10% median regression, two ways: **scaled**, every canary latency × 1.1 (everything 10% slower), and **shifted**, every canary latency + 10% of the population median (one more fixed-cost call); the naive rule sees mostly the tail, so it is judged on the same draws.',
    '',
  );
  lines.push('### Captured distributions', '');
  for (const p of r.profiles) {
    lines.push(`- **${p.profile}** (${p.capturedAt}): ${p.description} Requests kept: ${Object.entries(p.counts).map(([v, c]) => `${v} ${c}`).join(', ')}; population median ${p.medianMs.toFixed(2)} ms, p99 ${p.p99Ms.toFixed(2)} ms.`);
  }
  lines.push('', '### Results', '');
  const load = r.machine.loadAverage
    ? ` Load average (1 min) ${r.machine.loadAverage.start.toFixed(2)} at the start and ${r.machine.loadAverage.end.toFixed(2)} at the end: the rates are seeded simulations that load cannot change, but the judge times are wall-clock and grow with it.`
    : '';
  lines.push(`Rates with their 95% Wilson interval; machine: ${r.machine.nproc} CPUs, ${r.machine.cpuModel}, node ${r.machine.node}.${load}`, '');
  lines.push('| profile | n per version | trials | detection, scaled: relative-latency | naive p99 rule | detection, shifted: relative-latency | naive p99 rule | false alarms (A/A): relative-latency | naive p99 rule | judge time per check |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.rows) {
    const { aa, scaled: g, shifted: h } = row;
    lines.push(
      `| ${row.profile} | ${row.n} | ${aa.trials} | ${rate(g.relativeAlarms, g.trials)} | ${rate(g.naiveAlarms, g.trials)} | ${rate(h.relativeAlarms, h.trials)} | ${rate(h.naiveAlarms, h.trials)} | ${rate(aa.relativeAlarms, aa.trials)} | ${rate(aa.naiveAlarms, aa.trials)} | ${aa.relativeJudgeMs.toFixed(2)} ms |`,
    );
  }
  lines.push('', '### Against the targets', '');
  lines.push('| target | measured (worst profile) | naive rule, same samples | verdict |', '|---|---:|---:|---|');
  const at1000 = r.rows.filter((x) => x.n === 1000);
  if (at1000.length) {
    const cases = at1000.flatMap((row) => [
      { row, kind: 'scaled', o: row.scaled },
      { row, kind: 'shifted', o: row.shifted },
    ]);
    const worst = cases.reduce((a, b) => (b.o.relativeAlarms / b.o.trials < a.o.relativeAlarms / a.o.trials ? b : a));
    const worstFalse = at1000.reduce((a, b) => (b.aa.relativeAlarms / b.aa.trials > a.aa.relativeAlarms / a.aa.trials ? b : a));
    const d = worst.o.relativeAlarms / worst.o.trials;
    const f = worstFalse.aa.relativeAlarms / worstFalse.aa.trials;
    lines.push(`| ≥ 95% detection of a 10% median regression at 1,000 per version | ${pct(worst.o.relativeAlarms, worst.o.trials)} (${worst.row.profile}, ${worst.kind}) | ${pct(worst.o.naiveAlarms, worst.o.trials)} | ${d >= 0.95 ? '✅ met' : '❌ not met'} |`);
    lines.push(`| ≤ 2% false alarms on A/A at 1,000 per version | ${pct(worstFalse.aa.relativeAlarms, worstFalse.aa.trials)} (${worstFalse.profile}) | ${pct(worstFalse.aa.naiveAlarms, worstFalse.aa.trials)} | ${f <= 0.02 ? '✅ met' : '❌ not met'} |`);
  }
  lines.push('', '### What the sample size allows', '');
  lines.push(
    'A bound no test beats, to read the misses by: taking each population as log-normal, its spread in log units is σ ≈ ln(p99 / median) / 2.326, and a 10% scale regression moves the log latency by ln 1.1 = 0.095. ' +
      'Even the optimal test (a t-test on log latency; Mann-Whitney keeps 3/π ≈ 95.5% of its efficiency) then needs about n = 2·((z₀.₉₉ + z₀.₉₅)·σ / 0.095)² / 0.955 requests per version for 95% detection at a 1% one-sided false-alarm level:',
    '',
  );
  for (const p of r.profiles) {
    const sigma = Math.log(p.p99Ms / p.medianMs) / 2.326;
    const n = (2 * ((2.326 + 1.645) * sigma / Math.log(1.1)) ** 2) / (3 / Math.PI);
    lines.push(`- ${p.profile}: σ ≈ ${sigma.toFixed(2)} → about ${Math.round(n / 100) * 100} per version.`);
  }
  if (r.sequential?.length) lines.push('', renderSequentialSection(r.sequential));
  lines.push('', `Reproduce: \`${command}\` (add \`--capture\` to re-record the distributions on this machine first; the simulation alone needs no mesh).`, '');
  return lines.join('\n');
}
