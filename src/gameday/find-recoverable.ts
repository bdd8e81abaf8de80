/**
 * What `mesh-exp recover` with no argument acts on: the newest thing under the report directory
 * that a crash left unfinished. That is a run directory whose journal is unrecovered (as
 * `runner/find-runs.ts` finds them), or a game day's directory whose journal (gameday.jsonl)
 * neither ended nor was recovered: a killed day, recovered as a whole (its run in flight, then
 * its partial reports). The runs inside a day that ended on its own are looked at too: one whose
 * restore failed is still owed a recover, and is recovered as the run of its day.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from '../context.js';
import { findUnrecovered, isFile, type FoundRun } from '../runner/find-runs.js';
import { snapshotOf } from '../runner/journal.js';
import { shownDir } from '../runner/refusal.js';
import { GAMEDAY_JOURNAL_FILE, readGameDayJournal } from './journal.js';

/** Something to recover, and when it started (epoch ms: the newest is recovered). */
export type Recoverable =
  | { kind: 'run'; dir: string; time: number; gameDay?: { name: string; dir: string } }
  | { kind: 'game-day'; dir: string; time: number; name: string };


type Skip = (dir: string, err: unknown) => void;

/** The runs of `found` as recoverables (time: their snapshot's). */
function runsOf(found: readonly FoundRun[], gameDay?: { name: string; dir: string }): Recoverable[] {
  return found.map((run) => ({ kind: 'run', dir: run.dir, time: snapshotOf(run.entries)?.time ?? 0, ...(gameDay ? { gameDay } : {}) }));
}

/** What the game day's directory `dir` owes: itself when it was killed, else its runs that are unrecovered. */
async function ofGameDay(dir: string, onSkip: Skip): Promise<Recoverable[]> {
  try {
    const entries = await readGameDayJournal(path.join(dir, GAMEDAY_JOURNAL_FILE));
    const start = entries[0];
    if (start?.type !== 'start') return [];
    if (!entries.some((e) => e.type === 'end' || e.type === 'recovered')) return [{ kind: 'game-day', dir, time: start.time, name: start.name }];
    return runsOf(await findUnrecovered({ reportDir: dir, onSkip }), { name: start.name, dir });
  } catch (err) {
    onSkip(dir, err);
    return [];
  }
}

/** Everything under `reportDir` (or `reportDir` itself, a run or game-day directory) left to recover, newest first. */
export async function findRecoverable(reportDir: string, onSkip: Skip): Promise<Recoverable[]> {
  const found: Recoverable[] = [];
  if (await isFile(path.join(reportDir, GAMEDAY_JOURNAL_FILE))) {
    found.push(...(await ofGameDay(reportDir, onSkip)));
  } else {
    found.push(...runsOf(await findUnrecovered({ reportDir, onSkip })));
    const dirs = (await readdir(reportDir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => path.join(reportDir, e.name));
    for (const dir of dirs) if (await isFile(path.join(dir, GAMEDAY_JOURNAL_FILE))) found.push(...(await ofGameDay(dir, onSkip)));
  }
  return found.sort((a, b) => b.time - a.time);
}

/**
 * The newest recoverable under `reportDir` (relative to ctx.cwd; default "reports"), warning of
 * the older ones (each is recovered by name); undefined when there is none.
 */
export async function pickRecoverable(ctx: Pick<Context, 'cwd' | 'logger'>, reportDir = 'reports'): Promise<Recoverable | undefined> {
  const all = await findRecoverable(path.resolve(ctx.cwd, reportDir), (dir, err) => ctx.logger.warn(`skipping ${shownDir(dir, ctx.cwd)}: ${(err as Error).message}`));
  const older = all.slice(1);
  if (older.length > 0) {
    ctx.logger.warn(`${older.length} older unrecovered director${older.length > 1 ? 'ies' : 'y'} (recover each by name): ${older.map((r) => `${shownDir(r.dir, ctx.cwd)}${r.kind === 'game-day' ? ' (game day)' : ''}`).join(', ')}`);
  }
  return all[0];
}
