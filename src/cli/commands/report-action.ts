/**
 * What `mesh-exp report` does once its arguments are parsed; imported only when the command runs,
 * because the reporters (HTML, JUnit XML) are heavy to load (see `report.ts`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, MeshExpError, RuntimeError, UsageError } from '../../errors.js';
import { readSavedResult, readSavedRun, writeReports, type SavedGameDay } from '../../report/index.js';
import { GAMEDAY_JOURNAL_FILE } from '../../gameday/journal.js';
import type { CommandResult } from '../command-result.js';
import type { TrendFlags } from './report-trend-action.js';

/** Flags of the report command. */
export interface ReportFlags extends TrendFlags {
  /** Run directory (or result.json) of the previous run to compare with. @default none */
  compare?: string;
  /** Write trend.html from the run history instead. @default false */
  trend?: boolean;
}

/** What a failed write of the reports to `out` becomes: a runtime error (exit 3) naming the directory. */
function cannotWrite(ctx: Context, out: string) {
  return (err: unknown): never => {
    if (err instanceof MeshExpError) throw err;
    throw new RuntimeError(`cannot write the reports to ${path.relative(ctx.cwd, out) || '.'}: ${(err as Error).message}`, {
      hint: 'check that the directory is writable (or pick another with --out)',
      cause: err,
    });
  };
}

/** A game day's combined reports rendered again from its result.json (the runs' reports are left as they are). */
async function reportGameDay(ctx: Context, result: CommandResult, saved: SavedGameDay, flags: ReportFlags): Promise<void> {
  if (flags.compare !== undefined) {
    throw new UsageError('--compare compares two runs, not game days', { hint: 'compare two runs of an experiment: mesh-exp report <game-day dir>/01-<experiment> --compare <its earlier run>' });
  }
  const { writeGameDayReports } = await import('../../gameday/reports.js');
  const out = flags.out === undefined ? saved.dir : path.resolve(ctx.cwd, flags.out);
  const files = await writeGameDayReports(saved.result, saved.dir, out).catch(cannotWrite(ctx, out));
  ctx.stdout.write(`game day ${saved.result.name}: ${saved.result.summary}\n`);
  for (const f of files) ctx.stdout.write(`wrote ${path.relative(ctx.cwd, f) || f}\n`);
  result.exitCode = ExitCode.OK;
}

/** The flags that only go with --trend. */
const TREND_ONLY = ['experiment', 'since', 'reports'] as const;

/** Renders the run's reports again (beside `--compare`'s figures) and prints the files written. */
export async function reportAction(ctx: Context, result: CommandResult, runDir: string | undefined, flags: ReportFlags): Promise<void> {
  if (flags.trend) {
    if (runDir !== undefined || flags.compare !== undefined) {
      throw new UsageError('--trend charts the run history, not one run: give either <run-dir> or --trend', { hint: 'mesh-exp report --trend [--experiment name] [--since 30d] [--reports dir] [--out dir]' });
    }
    const { trendAction } = await import('./report-trend-action.js');
    return trendAction(ctx, result, flags);
  }
  const stray = TREND_ONLY.filter((f) => flags[f] !== undefined);
  if (runDir === undefined) {
    throw new UsageError('report needs a <run-dir>, or --trend', { hint: 'mesh-exp report reports/<run> renders one run again; mesh-exp report --trend charts the run history' });
  }
  if (stray.length) throw new UsageError(`${stray.map((f) => `--${f}`).join(', ')} only go${stray.length === 1 ? 'es' : ''} with --trend`, { hint: 'add --trend to chart the run history, or drop them' });
  const given = path.resolve(ctx.cwd, runDir);
  // A game day's directory without result.json: the day never ended (its journal is all there is).
  if (existsSync(path.join(given, GAMEDAY_JOURNAL_FILE)) && !existsSync(path.join(given, 'result.json'))) {
    throw new UsageError(`${path.join(runDir, 'result.json')}: not found: the game day did not end`, { hint: `\`mesh-exp recover ${runDir}\` finishes a killed game day and writes its (partial) reports` });
  }
  const read = await readSavedResult(runDir, ctx.cwd);
  if (read.kind === 'game-day') return reportGameDay(ctx, result, read.saved, flags);
  const saved = read.saved;
  const previous = flags.compare === undefined ? undefined : await readSavedRun(flags.compare, ctx.cwd);
  const out = flags.out === undefined ? saved.dir : path.resolve(ctx.cwd, flags.out);
  const files = await writeReports(saved.result, out, undefined, previous ? { previous: previous.result } : {}).catch(cannotWrite(ctx, out));
  const shown = (f: string) => path.relative(ctx.cwd, f) || f;
  ctx.stdout.write(`${saved.result.summary}\n`);
  if (previous) ctx.stdout.write(`compared with ${shown(previous.file)}: ${previous.result.summary}\n`);
  for (const f of files) ctx.stdout.write(`wrote ${shown(f)}\n`);
  result.exitCode = ExitCode.OK;
}
