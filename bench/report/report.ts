/** Renders the `## Report` section of BENCHMARKS.md from a run's figures. */
import type { MachineInfo } from '../proxy/machine-info.js';
import { median, type PageTiming } from './measure.js';
import type { GameDayFigures } from './gameday.js';
import type { TimedReports } from './timed-reports.js';

/**
 * The one-hour figure before the recorder kept sparse counts (BENCHMARKS.md of 2026-12-02, commit
 * 9ce22c0 and before): synthesizing took 281 s, nearly all of it in `timeline()`.
 */
export const BEFORE = { timelineMs: 281_000, date: '2026-12-02' } as const;

/** A whole benchmark run. */
export interface ReportBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string; chromium: string; uplot: string };
  /** What was synthesized. */
  run: { seconds: number; rate: number; steps: number; timelinePoints: number; pointSeconds: number; versions: string[]; summary: string; synthesizeMs: number; timelineMs: number };
  /** The one-hour run's reports written once with `writeReports`, each format timed. */
  reports: TimedReports;
  /** The game day; null when skipped. */
  gameDay: GameDayFigures | null;
  /** Marks figures measured while other work shared the machine. */
  provisional: boolean;
  /** Bytes of each file written, and of the parts of report.html. */
  bytes: { html: number; htmlGzip: number; chartData: number; chartLibrary: number; json: number; markdown: number; junit: number; tablesOnly: number };
  /** Node time to render report.html (ms), each of several renders. */
  renderMs: number[];
  /** Browser timings per page name: "empty", "tables-only", "report". */
  pages: Record<string, PageTiming[]>;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const spread = (xs: number[]) => `${ms(median(xs))} (${Math.min(...xs).toFixed(0)} … ${Math.max(...xs).toFixed(0)})`;
const ready = (t: PageTiming) => Math.max(t.loadMs, t.chartsMs ?? 0);

/** The markdown section (starting with its `## Report` heading). */
export function renderReportSection(r: ReportBenchResult, command: string): string {
  const m = r.machine;
  const report = r.pages['report']!;
  const tables = r.pages['tables-only']!;
  const empty = r.pages['empty']!;
  const rounds = report.length;
  const row = (name: string, what: string, t: PageTiming[]) =>
    `| ${name} | ${what} | ${spread(t.map((x) => x.loadMs))} | ${t[0]!.chartsMs === null ? '—' : spread(t.map((x) => x.chartsMs!))} | ${spread(t.map((x) => x.paintedMs))} | ${spread(t.map((x) => x.wallMs))} |`;
  const painted = median(report.map((t) => t.paintedMs));
  const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
  const endMs = r.run.timelineMs + r.reports.totalMs;
  const day = r.gameDay;
  const hour = r.run.seconds >= 3600;
  const hourNote = hour ? '' : ` (a ${r.run.seconds / 60}-minute run)`;
  const dayVerdict = (ok: boolean) => (day && day.runs * day.hoursEach >= 24 ? verdict(ok) : '— (shorter than 24 h)');
  return [
    '## Report',
    '',
    ...(r.provisional ? ['**Provisional: measured beside other work on a shared machine; rerun alone before quoting.**', ''] : []),
    `report.html of a synthesized one-hour canary at ${r.run.rate} req/s (${r.date}): \`bench/report/synthesize.ts\` folds ${(r.run.seconds * r.run.rate / 1e6).toFixed(1)} M seeded samples (lognormal latencies, 0.1%/0.3% 503s on v1/v2, 0.01% timeouts) into the real sample recorder step by step (${r.run.steps} steps of ${r.run.seconds / r.run.steps / 60} minutes, 5% → 100%), then judges them with the real SLO evaluation (4 SLOs) and writes the reports with \`writeReports\`. ${r.run.timelinePoints} timeline points (one per ${r.run.pointSeconds === 1 ? 'second' : `${r.run.pointSeconds} s`} per version: ${r.run.versions.join(', ')}; the runner's rule, \`src/model/timeline.ts\`: at most 1,200 points per series, each wider point's percentiles over its whole window). Summary: "${r.run.summary}"`,
    '',
    '### Machine',
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min) before the run (other work shared the machine when the first figure is well above 0)`,
    `- node ${m.node}; Chromium ${m.chromium} (Debian package, headless, driven by playwright-core); uPlot ${m.uplot}`,
    '',
    '### Size',
    '',
    '| file | size |',
    '|---|---:|',
    `| report.html | ${kb(r.bytes.html)} (${mib(r.bytes.html)}; ${kb(r.bytes.htmlGzip)} gzipped) |`,
    `| of which the chart data (JSON) | ${kb(r.bytes.chartData)} |`,
    `| of which uPlot and its license | ${kb(r.bytes.chartLibrary)} |`,
    `| result.json | ${kb(r.bytes.json)} |`,
    `| summary.md, junit.xml | ${(r.bytes.markdown / 1024).toFixed(1)} KiB, ${(r.bytes.junit / 1024).toFixed(1)} KiB |`,
    '',
    `Rendering report.html in Node (\`renderHtmlReport\`): ${spread(r.renderMs)} over ${r.renderMs.length} renders.`,
    '',
    '### Render time in Chromium',
    '',
    `Each page opened from disk in a fresh browser context (empty cache, network blocked, 1280×900), ${rounds} rounds, the page order rotated each round, after one unmeasured round; median (min … max), ms since navigation start by the page's own clock. "Painted": two animation frames after the load event, i.e. a frame with everything drawn has been produced. Peers, measured in the same run: **tables only** is the same report.html with its two executable \`<script>\` elements removed (uPlot and the chart script; same HTML, CSS, tables and inert JSON data block; nothing drawn: what drawing the charts costs), and **empty** is a one-line HTML file (Chromium's floor for opening a file).`,
    '',
    '| page | what | load event | charts drawn | painted | wall (driver) |',
    '|---|---|---:|---:|---:|---:|',
    row('report', `report.html, ${kb(r.bytes.html)}, ${r.run.versions.length + 1} charts`, report),
    row('tables only', `the same without scripts, ${kb(r.bytes.tablesOnly)}`, tables),
    row('empty', 'a one-line page', empty),
    '',
    `Ratios of the medians (painted): report / tables only = ${(painted / median(tables.map((t) => t.paintedMs))).toFixed(2)}×, report / empty = ${(painted / median(empty.map((t) => t.paintedMs))).toFixed(2)}×; ready (load event or charts drawn, whichever is later): ${ms(median(report.map(ready)))}.`,
    '',
    ...endOfRun(r, endMs),
    '### Against the targets',
    '',
    '| target | measured | verdict |',
    '|---|---:|---|',
    // The one-hour targets are judged only on a one-hour run (a shorter --minutes is a quick look).
    `| the timeline and every report, one hour at ${r.run.rate} req/s, ≤ 5 s | ${secs(endMs)}${hourNote} | ${hour ? verdict(endMs <= 5000) : '—'} |`,
    `| at least 50× faster than before (${secs(BEFORE.timelineMs)} in the timeline alone, ${BEFORE.date}) | ${(BEFORE.timelineMs / endMs).toFixed(0)}×${hourNote} | ${hour ? verdict(BEFORE.timelineMs / endMs >= 50) : '—'} |`,
    ...(day
      ? [
          `| a 24-hour game day's reports written in ≤ 60 s | ${secs(day.totalMs)} (${day.runs} × ${day.hoursEach} h) | ${dayVerdict(day.totalMs <= 60_000)} |`,
          `| a 24-hour game day's reports ≤ 20 MB | ${mbOf(day.written.bytes)} (${day.runs} × ${day.hoursEach} h) | ${dayVerdict(day.written.bytes <= 20e6)} |`,
        ]
      : []),
    `| report.html < 2 MB for one hour at 1,000 req/s | ${mib(r.bytes.html)} | ${verdict(r.bytes.html < 2e6)} |`,
    `| renders in < 1 s in Chromium (navigation start → painted, median) | ${ms(painted)} (worst ${ms(Math.max(...report.map((t) => t.paintedMs)))}) | ${verdict(painted < 1000)} |`,
    '',
    `Synthesizing the run took ${secs(r.run.synthesizeMs)}, ${secs(r.run.timelineMs)} of it in the recorder's \`timeline()\` (before: ${secs(BEFORE.timelineMs)}, ${BEFORE.date}, on packed HDR histograms: 10–15 ms per window and version); the rest is folding the samples, which a real run spreads over its hour. Raw figures: \`bench/results/report.json\` (git-ignored).`,
    '',
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}

const secs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(2)} s`);
const mbOf = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const msOf = (xs: Record<string, number>) => Object.entries(xs).map(([name, v]) => `${name} ${v.toFixed(0)} ms`).join(', ');

/** "### End of a run": the one-hour timeline and reports, then the game day. */
function endOfRun(r: ReportBenchResult, endMs: number): string[] {
  const day = r.gameDay;
  const lines = [
    '### End of a run: timeline and reports',
    '',
    `What the runner does when a step or the run ends, for the one-hour run: the recorder's \`timeline()\` over each step (${r.run.steps} steps), then \`writeReports\` (every format) once.`,
    '',
    '| part | time |',
    '|---|---:|',
    `| timeline (${r.run.timelinePoints} points) | ${secs(r.run.timelineMs)} |`,
    `| every report (${msOf(r.reports.byReport)}) | ${secs(r.reports.totalMs)} |`,
    `| **total** | **${secs(endMs)}** (before: ${secs(BEFORE.timelineMs)} in the timeline alone, ${BEFORE.date}) |`,
    '',
  ];
  if (!day) return lines;
  return [
    ...lines,
    `**A game day of ${day.runs * day.hoursEach} hours** (the target is about 24): ${day.runs} experiments of ${day.hoursEach} h in a row at ${day.rate} req/s (${((day.runs * day.hoursEach * 3600 * day.rate) / 1e6).toFixed(1)} M requests), each synthesized like the run above (six steps, its own seed) into its own run directory with its own reports (\`bench/report/gameday.ts\`). Timeline points one per ${day.pointSeconds} s; folding the samples (${secs(day.synthesizeMs)}) is not counted: a real run spreads it over its hours.`,
    '',
    '| part | time | bytes |',
    '|---|---:|---:|',
    `| timelines (${day.timelinePoints} points) | ${secs(day.timelineMs)} | |`,
    `| reports (${msOf(day.byReport)}) | ${secs(day.reportsMs)} | ${Object.entries(day.written.byName).map(([n, b]) => `${n} ${mbOf(b)}`).join(', ')} |`,
    ...(day.index ? [`| combined index (${day.index.files} files) | ${secs(day.index.ms)} | ${mbOf(day.index.bytes)} |`] : ['| combined index | not written (no writer given) | |']),
    `| **total** | **${secs(day.totalMs)}** (slowest run ${secs(day.worstRunMs)}) | **${mbOf(day.written.bytes)}** in ${day.written.files} files |`,
    '',
  ];
}
