/**
 * A 24-hour game day as the report writer sees it: several experiments in a row, each its own run
 * directory with its own reports, at 1,000 req/s throughout. Each experiment is synthesized like the
 * one-hour run (its own seed and start), then its timeline is computed (timed, as the runner does at
 * the end of each step) and its reports written (timed). Folding the samples is not counted: a real
 * run spreads it over its hours.
 */
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { synthesizeRunTimed } from './synthesize.js';
import { measureDirs, measureFiles, writeReportsTimed, type DirBytes } from './timed-reports.js';

/** Options of {@link benchGameDay}. */
export interface GameDayOptions {
  /** Experiments in the day. */
  runs: number;
  /** Hours each (six steps of hours × 10 minutes). */
  hoursEach: number;
  /** Requests per second. */
  rate: number;
  /** Folder the run directories are made in (run-01, run-02, ...). */
  root: string;
  /** Progress lines. */
  log(message: string): void;
  /**
   * Writes the game day's combined index over the run directories and returns the files it wrote
   * (the game-day runner's, once there is one), timed and counted with the reports. @default none
   */
  writeIndex?: (runDirs: readonly string[]) => Promise<string[]>;
}

/** What the day cost the report writer. */
export interface GameDayFigures {
  runs: number;
  hoursEach: number;
  rate: number;
  /** Width of the timeline points of each run, s. */
  pointSeconds: number;
  /** Timeline points over all runs. */
  timelinePoints: number;
  /** Sum over the runs of their timeline time, ms. */
  timelineMs: number;
  /** Sum over the runs of their writeReports time, ms; per format too. */
  reportsMs: number;
  byReport: Record<string, number>;
  /** The slowest run's timeline + reports, ms. */
  worstRunMs: number;
  /** The combined index, when one was written. */
  index: { ms: number; files: number; bytes: number } | null;
  /** timeline + reports + index, ms. */
  totalMs: number;
  /** Every file written (reports of every run, and the index). */
  written: DirBytes;
  /** Time spent folding samples (not part of the figures), ms. */
  synthesizeMs: number;
}

/** Runs the day; the run directories stay under `root` (the caller removes it). */
export async function benchGameDay(o: GameDayOptions): Promise<GameDayFigures> {
  const dirs: string[] = [];
  const byReport: Record<string, number> = {};
  let timelineMs = 0;
  let reportsMs = 0;
  let worstRunMs = 0;
  let timelinePoints = 0;
  let pointSeconds = 1;
  let synthesizeMs = 0;
  const hourMs = 3_600_000;
  for (let i = 0; i < o.runs; i++) {
    const t0 = performance.now();
    const { result, timelineMs: tl } = synthesizeRunTimed({ rate: o.rate, stepSeconds: o.hoursEach * 600, startedAt: Date.UTC(2026, 0, 5) + i * o.hoursEach * hourMs, seed: 20260105 + i });
    synthesizeMs += performance.now() - t0 - tl;
    const dir = join(o.root, `run-${String(i + 1).padStart(2, '0')}`);
    await mkdir(dir, { recursive: true });
    const written = await writeReportsTimed(result, dir);
    for (const [name, ms] of Object.entries(written.byReport)) byReport[name] = (byReport[name] ?? 0) + ms;
    timelineMs += tl;
    reportsMs += written.totalMs;
    worstRunMs = Math.max(worstRunMs, tl + written.totalMs);
    timelinePoints += result.steps.reduce((n, s) => n + s.timeline.length, 0);
    pointSeconds = result.steps[0]?.timelineSeconds ?? 1;
    dirs.push(dir);
    o.log(`  run ${i + 1}/${o.runs}: timeline ${tl.toFixed(0)} ms, reports ${written.totalMs.toFixed(0)} ms`);
  }
  let index: GameDayFigures['index'] = null;
  let outside: string[] = [];
  if (o.writeIndex) {
    const t = performance.now();
    const files = await o.writeIndex(dirs);
    const ms = performance.now() - t;
    index = { ms, files: files.length, bytes: (await measureFiles(files)).bytes };
    // Files inside a run directory are counted with it.
    outside = files.filter((f) => dirs.every((d) => relative(d, f).startsWith('..')));
  }
  const inRuns = await measureDirs(dirs);
  const extra = await measureFiles(outside);
  const written: DirBytes = { files: inRuns.files + extra.files, bytes: inRuns.bytes + extra.bytes, byName: { ...inRuns.byName } };
  for (const [name, b] of Object.entries(extra.byName)) written.byName[name] = (written.byName[name] ?? 0) + b;
  return { runs: o.runs, hoursEach: o.hoursEach, rate: o.rate, pointSeconds, timelinePoints, timelineMs, reportsMs, byReport, worstRunMs, index, totalMs: timelineMs + reportsMs + (index?.ms ?? 0), written, synthesizeMs };
}
