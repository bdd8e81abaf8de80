/**
 * `mesh-exp report --trend`: trend.html from the run history (see `report.ts`).
 */
import path from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, RuntimeError, UsageError } from '../../errors.js';
import { emptyHistoryText, queryHistory } from '../../history/query.js';
import { writeTrendReport } from '../../report/trend/write-trend.js';
import type { CommandResult } from '../command-result.js';

/** The report command's flags that --trend uses. */
export interface TrendFlags {
  /** Where to write trend.html. @default the reports root */
  out?: string;
  /** Only this experiment. @default all */
  experiment?: string;
  /** Only runs started within this span. @default all */
  since?: string;
  /** The reports root or index file. @default "reports" */
  reports?: string;
}

/** Writes trend.html into --out or the reports root and prints its path. */
export async function trendAction(ctx: Context, result: CommandResult, flags: TrendFlags): Promise<void> {
  const query = { ...(flags.reports !== undefined ? { reports: flags.reports } : {}), ...(flags.experiment !== undefined ? { experiment: flags.experiment } : {}), ...(flags.since !== undefined ? { since: flags.since } : {}) };
  const answer = await queryHistory(ctx, query);
  const empty = emptyHistoryText(answer, query);
  if (empty) throw new UsageError('no runs to chart', { hint: empty.trim() });
  const out = path.resolve(ctx.cwd, flags.out ?? path.dirname(path.resolve(ctx.cwd, answer.shownFile)));
  const filters = [flags.experiment !== undefined ? `experiment ${flags.experiment}` : '', flags.since !== undefined ? `started in the last ${flags.since}` : ''].filter(Boolean).join(', ') || 'all runs';
  const file = await writeTrendReport(out, answer.entries, answer.regressions, { source: answer.shownFile, filters }).catch((err: unknown) => {
    throw new RuntimeError(`cannot write trend.html to ${path.relative(ctx.cwd, out) || '.'}: ${(err as Error).message}`, { hint: 'check that the directory is writable (or pick another with --out)', cause: err });
  });
  const flagged = answer.entries.filter((e) => answer.regressions.get(e)?.regressed).length;
  ctx.stdout.write(`${answer.entries.length} run(s) charted, ${flagged} flagged as a regression\nwrote ${path.relative(ctx.cwd, file) || file}\n`);
  result.exitCode = ExitCode.OK;
}
