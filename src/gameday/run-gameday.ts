/**
 * Running a game day: its experiments one after another through the runner (`executeRun`, which
 * restores each on every end but a promotion), each in its own run directory inside the game
 * day's directory, then the combined reports.
 *
 *   reports/<game-day>-<UTC stamp>/   gameday.jsonl, result.json, index.html, junit.xml, summary.md
 *     01-<experiment>/                that experiment's run directory (journal.jsonl, its reports)
 *
 * The day's journal (gameday.jsonl, fsync'd) says which experiment is in flight before it starts
 * and how each ended, so `mesh-exp recover <game-day dir>` can finish a killed day. A signal
 * (ctx.signal) makes the runner restore the experiment in hand; the rest are skipped and the
 * reports written. An experiment that does not pass stops the day unless its entry says
 * continueOnFailure.
 *
 * The day's `spec.notify` targets (read before anything is created: a missing secret is a usage
 * error) hear of its start, of each experiment's end (a "decision" of the day) and of its verdict
 * once the combined reports are written; sends never hold up a run, and the wait for them at the
 * end is bounded (shorter after Ctrl-C). An experiment's own `spec.notify` tells of its run.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { exitCodeOf, MeshExpError, RestoreError, type ExitCodeValue } from '../errors.js';
import type { LoadedGameDay, LoadedGameDayExperiment } from '../experiment/gameday-validate.js';
import { maxFailuresOf } from '../experiment/gameday-schema.js';
import type { GameDayExperimentResult, GameDayResult } from '../model/gameday-result.js';
import type { ProgressSink } from '../model/progress.js';
import { readProcStat } from '../mesh/backends/proc-stat.js';
import { createGameDayNotifications, type GameDayNotifications } from '../notify/index.js';
import { abortExitCode } from '../runner/abort.js';
import { errorText } from '../runner/outcome.js';
import { createRunDir } from '../runner/run-dir.js';
import { executeRun } from '../runner/runner.js';
import type { RunOptions, RunOutput } from '../runner/types.js';
import { createGameDayJournal, type GameDayJournal, type PlannedExperiment } from './journal.js';
import { dayResult, fromRun, notStarted, runDirName } from './day-result.js';
import { writeGameDayReports } from './reports.js';

/** Options of {@link executeGameDay}. */
export interface GameDayOptions extends Omit<RunOptions, 'reportDir' | 'progress' | 'aa' | 'gameDay'> {
  /** Write the game day's directory exactly here. @default `<cwd>/reports/<name>-<UTC YYYYMMDD-HHMMSS>` */
  reportDir?: string;
  /** A live progress view for each experiment (the CLI's). @default none: events are logged */
  progress?: () => ProgressSink | undefined;
}

/** What a game day produced. */
export interface GameDayOutput {
  /** The combined result (also written as result.json). */
  result: GameDayResult;
  /** Absolute path of the game day's directory. */
  dir: string;
  /** The combined report files written. */
  reportFiles: string[];
}

/** How the journal and the reports name an experiment of the day. */
function planOf(e: LoadedGameDayExperiment): PlannedExperiment {
  return { index: e.index, name: e.loaded.experiment.metadata.name, source: e.source, continueOnFailure: e.continueOnFailure };
}

/** The entry of one experiment that ran (or threw before its run directory had a result). */
function ranEntry(planned: PlannedExperiment, runDir: string, out: RunOutput | undefined, err: unknown, ctx: Context): GameDayExperimentResult {
  const base = { ...notStarted(planned), runDir };
  if (out) {
    const report = out.reportFiles.find((f) => f.endsWith('report.html'));
    return { ...base, ...fromRun(out.result), ...(report ? { report: path.join(runDir, path.basename(report)) } : {}) };
  }
  // executeRun throws before its first change (preflight, a busy target, a signal: nothing to
  // restore), or when a failed claim's restore failed too (a RestoreError: the mark may be left).
  if (err instanceof RestoreError) {
    return { ...base, status: 'error', exitCode: exitCodeOf(err), restored: false, summary: `${errorText(err)}${hintOf(err)}`, endedAt: ctx.clock.now() };
  }
  const interrupted = ctx.signal.aborted;
  return {
    ...base,
    status: interrupted ? 'interrupted' : 'error',
    exitCode: interrupted ? abortExitCode(ctx.signal.reason) : exitCodeOf(err),
    restored: true,
    summary: interrupted ? `stopped by a signal before its first change: nothing was changed` : `${errorText(err)} (before its first change: nothing was changed)${hintOf(err)}`,
    endedAt: ctx.clock.now(),
  };
}

/** The error's hint as the day's line shows it (a run alone prints it under the error; the day keeps it in the summary). */
function hintOf(err: unknown): string {
  return err instanceof MeshExpError && err.hint ? `; hint: ${err.hint}` : '';
}

/** Runs one experiment of the day in its run directory; never throws (a failure is its entry). */
async function runOne(ctx: Context, day: { name: string; dir: string }, journal: GameDayJournal, planned: LoadedGameDayExperiment, options: GameDayOptions): Promise<GameDayExperimentResult> {
  const { dir } = day;
  const runDir = runDirName(planned.index, planned.loaded.experiment.metadata.name);
  const plan = planOf(planned);
  await journal.append({ type: 'experiment-start', index: planned.index, runDir });
  const { progress, reportDir: _dayDir, ...runOptions } = options;
  const sink = progress?.();
  let out: RunOutput | undefined;
  let thrown: unknown;
  const startedAt = ctx.clock.now();
  try {
    // gameDay: the run history records which day the run was part of.
    out = await executeRun(planned.loaded, ctx, { ...runOptions, reportDir: path.join(dir, runDir), gameDay: day, ...(sink ? { progress: sink } : {}) });
  } catch (err) {
    thrown = err;
  }
  const entry = ranEntry(plan, runDir, out, thrown, ctx);
  entry.startedAt ??= startedAt;
  await journal.append({ type: 'experiment-end', index: planned.index, result: entry });
  return entry;
}

/** Runs the game day's experiments in order, then writes the combined reports; see the module comment. */
export async function executeGameDay(loaded: LoadedGameDay, ctx: Context, options: GameDayOptions = {}): Promise<GameDayOutput> {
  // The webhook URLs first: a missing secret is a usage error before the day's directory exists.
  const notify = await createGameDayNotifications(loaded.gameDay.spec.notify, ctx, path.dirname(loaded.file));
  try {
    return await runDay(loaded, ctx, options, notify);
  } finally {
    // Bounded: a hanging receiver delays the end by the grace time at most, Ctrl-C shortens it.
    await notify.close();
  }
}

/** A path inside the day's directory as the notifications give it: relative to the directory mesh-exp ran in. */
const fromCwd = (ctx: Context, file: string) => path.relative(ctx.cwd, file) || '.';

async function runDay(loaded: LoadedGameDay, ctx: Context, options: GameDayOptions, notify: GameDayNotifications): Promise<GameDayOutput> {
  const { gameDay } = loaded;
  const startedAt = ctx.clock.now();
  const dir = await createRunDir({ name: gameDay.metadata.name, startedAt, cwd: ctx.cwd, ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}) });
  const journal = createGameDayJournal(dir, () => ctx.clock.now());
  const self = await readProcStat('self');
  const maxFailures = maxFailuresOf(gameDay.spec.verdict);
  await journal.append({
    type: 'start',
    name: gameDay.metadata.name,
    ...(gameDay.metadata.description !== undefined ? { description: gameDay.metadata.description } : {}),
    labels: gameDay.metadata.labels,
    maxFailures,
    ...(self ? { pid: self.pid, startTime: self.startTime } : {}),
    experiments: loaded.experiments.map(planOf),
  });
  const total = loaded.experiments.length;
  notify.start({ name: gameDay.metadata.name, experiments: total, ...(gameDay.metadata.description !== undefined ? { description: gameDay.metadata.description } : {}) });
  const results: GameDayExperimentResult[] = [];
  let stop: string | undefined;
  let stoppedBy: ExitCodeValue | undefined;
  for (const planned of loaded.experiments) {
    // The day has a journal from here on: a signal skips the rest and lets it write its reports.
    ctx.phase = 'between-experiments';
    if (!stop && ctx.signal.aborted) {
      stoppedBy = abortExitCode(ctx.signal.reason);
      stop = `skipped: the game day was stopped by a signal`;
    }
    if (stop) {
      results.push({ ...notStarted(planOf(planned)), status: 'skipped', summary: stop });
      continue;
    }
    ctx.logger.info(`game day ${gameDay.metadata.name}: experiment ${planned.index + 1} of ${total}: ${planned.loaded.experiment.metadata.name} (${planned.source})`);
    const entry = await runOne(ctx, { name: gameDay.metadata.name, dir }, journal, planned, options);
    ctx.phase = 'between-experiments';
    results.push(entry);
    ctx.logger.info(`game day ${gameDay.metadata.name}: experiment ${planned.index + 1} of ${total}: ${entry.status.toUpperCase()}: ${entry.summary}`);
    await ctx.failpoint('between-experiments');
    if (ctx.signal.aborted) {
      // A signal after the run had settled (its reports, or this gap) is the day's, not the run's.
      stoppedBy ??= abortExitCode(ctx.signal.reason);
      stop = 'skipped: the game day was stopped by a signal';
    }
    // A mesh left changed stops the day whatever continueOnFailure says: the next experiment would
    // start from a state nobody chose.
    else if (entry.restored === false) stop = `skipped: experiment ${planned.index + 1} (${entry.name}) could not be restored`;
    else if (entry.status !== 'passed' && !planned.continueOnFailure) stop = `skipped: experiment ${planned.index + 1} (${entry.name}) did not pass and its entry does not say continueOnFailure`;
    const next = stop || planned.index + 1 >= total ? 'stop' : 'continue';
    notify.decision({ name: gameDay.metadata.name, experiments: total, entry, next, ...(entry.report !== undefined ? { report: fromCwd(ctx, path.join(dir, entry.report)) } : {}) });
  }
  ctx.phase = 'finishing';
  const result = dayResult({ start: { name: gameDay.metadata.name, labels: gameDay.metadata.labels, maxFailures, ...(gameDay.metadata.description !== undefined ? { description: gameDay.metadata.description } : {}) }, startedAt, endedAt: ctx.clock.now(), experiments: results, ...(stoppedBy !== undefined ? { stoppedBy } : {}) });
  await journal.append({ type: 'end', verdict: result.verdict, exitCode: result.exitCode });
  let reportFiles: string[] = [];
  try {
    reportFiles = await writeGameDayReports(result, dir);
  } catch (err) {
    ctx.logger.error(`writing the game day's reports to ${dir}: ${errorText(err)}`);
  }
  const index = reportFiles.find((f) => f.endsWith('index.html'));
  notify.verdict({
    name: result.name,
    // A signal during an experiment or between two: the day was interrupted, whatever its count.
    outcome: ctx.signal.aborted ? 'interrupted' : result.verdict === 'pass' ? 'passed' : 'failed',
    summary: result.summary,
    exitCode: result.exitCode,
    restored: result.experiments.every((e) => e.restored !== false),
    ...(index ? { report: fromCwd(ctx, index) } : {}),
  });
  return { result, dir, reportFiles };
}
