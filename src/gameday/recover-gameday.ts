/**
 * `mesh-exp recover <game-day dir>`: finishing a game day that was killed (SIGKILL, power loss)
 * from its directory alone. Its journal (gameday.jsonl) names the experiment that was in flight:
 * that run is recovered as any run is (`runner/recover.ts` on its run directory: its processes
 * stopped, its change restored and verified, a partial report of its finished steps). Then the
 * combined reports are written, marked partial: the experiments that ended keep their outcome,
 * the one in flight is an error (the day died under it), the rest are "not run". Idempotent: once
 * the journal says `recovered` (or the day ended on its own), there is nothing to recover.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { RuntimeError } from '../errors.js';
import type { GameDayExperimentResult, GameDayResult } from '../model/gameday-result.js';
import { processStartTime } from '../mesh/backends/proc-stat.js';
import { isFile } from '../runner/find-runs.js';
import { readSavedRun } from '../report/read-result.js';
import { JOURNAL_FILE } from '../runner/journal.js';
import { recoverRun, type RecoverOptions, type RecoverResult } from '../runner/recover.js';
import { shownDir } from '../runner/refusal.js';
import { dayResult, fromRun, notRun, notStarted } from './day-result.js';
import { createGameDayJournal, GAMEDAY_JOURNAL_FILE, readGameDayJournal, type GameDayJournalEntry } from './journal.js';
import { writeGameDayReports } from './reports.js';

/** What {@link recoverGameDay} did. */
export interface GameDayRecoverResult {
  /** "recovered": the reports are written (and the run in flight recovered); or nothing was left to do. */
  status: 'recovered' | 'nothing-to-recover';
  /** Absolute game-day directory. */
  dir: string;
  /** One sentence for the user. */
  message: string;
  /** The recover of the experiment that was in flight, when there was one with a journal. @default absent */
  run?: RecoverResult;
  /** The combined result written. @default absent when nothing was recovered */
  result?: GameDayResult;
  /** The combined report files written. @default [] */
  reportFiles?: string[];
}


/** Whether `dir` (relative to `cwd`) is a game day's directory: it holds gameday.jsonl. */
export async function isGameDayDir(dir: string, cwd: string): Promise<boolean> {
  return isFile(path.join(path.resolve(cwd, dir), GAMEDAY_JOURNAL_FILE));
}

type Start = Extract<GameDayJournalEntry, { type: 'start' }>;

/** The entry of the experiment the day died under, after its run was recovered. */
async function inFlightEntry(ctx: Context, dir: string, start: Start, index: number, runDir: string, options: RecoverOptions) {
  const planned = start.experiments.find((p) => p.index === index) ?? { index, name: `experiment ${index + 1}`, source: '?', continueOnFailure: false };
  const abs = path.join(dir, runDir);
  const run = (await isFile(path.join(abs, JOURNAL_FILE))) ? await recoverRun(ctx, { ...options, runDir: abs, gameDay: { name: start.name, dir } }) : undefined;
  const saved = await readSavedRun(abs, dir).catch(() => undefined);
  const base = { ...notStarted(planned), runDir };
  const report = (await isFile(path.join(abs, 'report.html'))) ? { report: path.join(runDir, 'report.html') } : {};
  const what = run ? run.message : 'it had not journaled anything yet, so it changed nothing';
  if (saved && !saved.result.partial) {
    // The run wrote its own result before the day died: that is how it ended.
    return { run, entry: { ...base, ...report, ...fromRun(saved.result) } satisfies GameDayExperimentResult };
  }
  const entry: GameDayExperimentResult = {
    ...base,
    ...report,
    status: 'error',
    summary: `the game day was killed while this experiment ran; recover: ${what}`,
    ...(saved ? { startedAt: saved.result.startedAt, endedAt: saved.result.endedAt, partial: true, restored: saved.result.restored } : {}),
  };
  return { run, entry };
}

/** Recovers the killed game day in `given` (relative to ctx.cwd); see the module comment. */
export async function recoverGameDay(ctx: Context, given: string, options: Omit<RecoverOptions, 'runDir' | 'reportDir' | 'gameDay'> = {}): Promise<GameDayRecoverResult> {
  const dir = path.resolve(ctx.cwd, given);
  const shown = shownDir(dir, ctx.cwd);
  const entries = await readGameDayJournal(path.join(dir, GAMEDAY_JOURNAL_FILE));
  const start = entries[0] as Start | undefined;
  if (!start) return { status: 'nothing-to-recover', dir, message: `nothing to recover in ${shown}: the game day stopped before it journaled anything` };
  if (entries.some((e) => e.type === 'end' || e.type === 'recovered')) {
    const how = entries.some((e) => e.type === 'recovered') ? 'it was recovered already' : 'it ran to its end';
    return { status: 'nothing-to-recover', dir, message: `nothing to recover in ${shown}: ${how}` };
  }
  if (start.pid !== undefined && start.startTime !== undefined && (await processStartTime(start.pid)) === start.startTime) {
    throw new RuntimeError(`the game day of ${shown} is still running (pid ${start.pid}): recover is for game days that died`, {
      hint: `stop it with Ctrl-C (or \`kill -INT ${start.pid}\`): it restores the experiment in hand and writes its reports itself; nothing was done`,
    });
  }
  const ended = new Map<number, GameDayExperimentResult>();
  const started = new Map<number, string>();
  for (const e of entries) {
    if (e.type === 'experiment-end') ended.set(e.index, e.result);
    if (e.type === 'experiment-start') started.set(e.index, e.runDir);
  }
  let run: RecoverResult | undefined;
  for (const [index, runDir] of started) {
    if (ended.has(index)) continue;
    const recovered = await inFlightEntry(ctx, dir, start, index, runDir, options);
    run = recovered.run;
    ended.set(index, recovered.entry);
  }
  const experiments = [...ended.values(), ...notRun(start.experiments, new Set(ended.keys()), 'not run: the game day was killed before it started this experiment')].sort((a, b) => a.index - b.index);
  const endedAt = Math.max(start.time, ...experiments.flatMap((e) => (e.endedAt !== undefined ? [e.endedAt] : [])));
  const result = dayResult({ start, startedAt: start.time, endedAt, experiments, partial: true });
  const reportFiles = await writeGameDayReports(result, dir);
  await createGameDayJournal(dir, () => ctx.clock.now()).append({ type: 'recovered' });
  const inFlight = run ? ` ${run.message}.` : '';
  return { status: 'recovered', dir, message: `${shown}: the game day was killed;${inFlight} wrote its partial report (${result.summary})`, ...(run ? { run } : {}), result, reportFiles };
}
