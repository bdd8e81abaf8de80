/**
 * Report benchmark entry point: `node --import tsx bench/report/run.ts [--rounds 7] [--minutes 60]
 * [--gameday-runs 24] [--gameday-hours 1] [--provisional]`.
 * Synthesizes a one-hour run at 1,000 req/s, times its timeline and each of its reports, measures
 * their size and the time Chromium takes to render report.html against two peers opened in the same
 * run (the same page without scripts, and an empty page); then a game day (runs × hours, each its own
 * run directory and reports): total time and bytes. Replaces the `## Report` section of BENCHMARKS.md
 * and keeps the raw figures in bench/results/report.json. A benchmark, not a test: nothing asserts.
 */
import { gzipSync } from 'node:zlib';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium as playwright } from 'playwright-core';
import { chartLibrary } from '../../src/report/html/chart-library.js';
import { renderHtmlReport } from '../../src/report/html-reporter.js';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo } from '../proxy/machine-info.js';
import { median, timePages } from './measure.js';
import { renderReportSection, type ReportBenchResult } from './report.js';
import { synthesizeRunTimed } from './synthesize.js';
import { benchGameDay, type GameDayFigures } from './gameday.js';
import { writeBenchGameDayIndex } from './gameday-index.js';
import { writeReportsTimed } from './timed-reports.js';

const COMMAND = 'npm run bench:report   # = node --import tsx bench/report/run.ts --rounds 7 --minutes 60 --gameday-runs 24 --gameday-hours 1';
const RATE = 1000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      minutes: { type: 'string', default: '60' },
      chromium: { type: 'string', default: '/usr/bin/chromium' },
      // The game day: runs × hours each (24 × 1 h by default; --gameday-runs 0 skips it).
      'gameday-runs': { type: 'string', default: '24' },
      'gameday-hours': { type: 'string', default: '1' },
      // Marks the section "provisional" (measured beside other work).
      provisional: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.minutes) * 60;
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  const cpu = await collectCpuInfo();

  log(`synthesizing ${seconds} s at ${RATE} req/s ...`);
  const t0 = performance.now();
  const { result, timelineMs } = synthesizeRunTimed({ rate: RATE, stepSeconds: seconds / 6 });
  const synthesizeMs = performance.now() - t0;
  log(`  ${(synthesizeMs / 1000).toFixed(1)} s (timeline ${timelineMs.toFixed(0)} ms): ${result.summary}`);

  const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-report-bench-'));
  try {
    const reports = await writeReportsTimed(result, join(dir, 'run'));
    log(`  reports written in ${reports.totalMs.toFixed(0)} ms`);
    const file = (name: string) => readFile(join(dir, 'run', name), 'utf8');
    const html = await file('report.html');
    const renderMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      renderHtmlReport(result);
      renderMs.push(performance.now() - t);
    }
    const tablesOnly = html.replace(/<script>[\s\S]*?<\/script>\n?/g, '');
    await writeFile(join(dir, 'tables-only.html'), tablesOnly);
    await writeFile(join(dir, 'empty.html'), '<!doctype html><meta charset="utf-8"><title>empty</title><p>empty</p>\n');
    const chartData = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

    log(`timing in Chromium, ${rounds} rounds ...`);
    const browser = await playwright.launch({ executablePath: values.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    let pages: ReportBenchResult['pages'];
    let chromiumVersion: string;
    try {
      chromiumVersion = browser.version();
      pages = await timePages(browser, [
        { name: 'report', file: join(dir, 'run', 'report.html') },
        { name: 'tables-only', file: join(dir, 'tables-only.html') },
        { name: 'empty', file: join(dir, 'empty.html') },
      ], rounds);
    } finally {
      await browser.close();
    }
    log(`  report painted at ${median(pages['report']!.map((t) => t.paintedMs)).toFixed(0)} ms (median)`);

    const runs = Number(values['gameday-runs']);
    let gameDay: GameDayFigures | null = null;
    if (runs > 0) {
      const hoursEach = Number(values['gameday-hours']);
      log(`game day: ${runs} × ${hoursEach} h at ${RATE} req/s ...`);
      const root = join(dir, 'gameday');
      gameDay = await benchGameDay({ runs, hoursEach, rate: RATE, root, log, writeIndex: (runDirs) => writeBenchGameDayIndex(root, runDirs) });
      log(`  timelines + reports ${(gameDay.totalMs / 1000).toFixed(1)} s, ${(gameDay.written.bytes / 1e6).toFixed(1)} MB`);
    }

    const timeline = result.steps.flatMap((s) => s.timeline);
    const bench: ReportBenchResult = {
      date: new Date().toISOString(),
      machine: { ...cpu, node: process.version, chromium: chromiumVersion, uplot: chartLibrary().version },
      run: { seconds, rate: RATE, steps: result.steps.length, timelinePoints: timeline.length, pointSeconds: result.steps[0]?.timelineSeconds ?? 1, versions: [...new Set(timeline.map((p) => p.version))], summary: result.summary, synthesizeMs, timelineMs },
      reports,
      gameDay,
      provisional: values.provisional,
      bytes: {
        html: bytes(html),
        htmlGzip: gzipSync(html).length,
        chartData: bytes(chartData),
        chartLibrary: bytes(chartLibrary().js),
        json: bytes(await file('result.json')),
        markdown: bytes(await file('summary.md')),
        junit: bytes(await file('junit.xml')),
        tablesOnly: bytes(tablesOnly),
      },
      renderMs,
      pages,
    };
    await saveBenchResult(repoRoot, 'report', bench);
    await publishSection(repoRoot, '## Report', renderReportSection(bench, COMMAND));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
