/** Renders the `## Report` section of BENCHMARKS.md from a run's figures. */
import type { MachineInfo } from '../proxy/machine-info.js';
import { median, type PageTiming } from './measure.js';

/** A whole benchmark run. */
export interface ReportBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string; chromium: string; uplot: string };
  /** What was synthesized. */
  run: { seconds: number; rate: number; steps: number; timelinePoints: number; versions: string[]; summary: string; synthesizeMs: number };
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
  return [
    '## Report',
    '',
    `report.html of a synthesized one-hour canary at ${r.run.rate} req/s (${r.date}): \`bench/report/synthesize.ts\` folds ${(r.run.seconds * r.run.rate / 1e6).toFixed(1)} M seeded samples (lognormal latencies, 0.1%/0.3% 503s on v1/v2, 0.01% timeouts) into the real sample recorder step by step (${r.run.steps} steps of ${r.run.seconds / r.run.steps / 60} minutes, 5% → 100%), then judges them with the real SLO evaluation (4 SLOs) and writes the reports with \`writeReports\`. ${r.run.timelinePoints} timeline points (one per second per version: ${r.run.versions.join(', ')}). Summary: "${r.run.summary}"`,
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
    '### Against the targets',
    '',
    '| target | measured | verdict |',
    '|---|---:|---|',
    `| report.html < 2 MB for one hour at 1,000 req/s | ${mib(r.bytes.html)} | ${verdict(r.bytes.html < 2e6)} |`,
    `| renders in < 1 s in Chromium (navigation start → painted, median) | ${ms(painted)} (worst ${ms(Math.max(...report.map((t) => t.paintedMs)))}) | ${verdict(painted < 1000)} |`,
    '',
    `Synthesizing the run took ${(r.run.synthesizeMs / 1000).toFixed(0)} s, nearly all of it in the recorder's \`timeline()\` (per-window percentiles and merges on packed HDR histograms, roughly 10–15 ms per window and version); not part of the figures above. Raw figures: \`bench/results/report.json\` (git-ignored).`,
    '',
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}
