/**
 * What `mesh-exp history` does once its flags are parsed; imported only when the command runs
 * (see `history.ts`).
 */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import type { HistoryEntry } from '../../history/entry-schema.js';
import { emptyHistoryText, queryHistory } from '../../history/query.js';
import { describeRegressionTest, DEFAULT_REGRESSION_SETTINGS } from '../../history/regression.js';
import type { CommandResult } from '../command-result.js';
import { historyTable } from '../history-table.js';

/** Flags of the history command. */
export interface HistoryFlags {
  /** Only this experiment. @default all */
  experiment?: string;
  /** Only runs started within this span. @default all */
  since?: string;
  /** The reports root or index file. @default "reports" */
  reports?: string;
  /** Output format. @default "text" */
  output?: 'text' | 'json';
}

/** One run as `--output json` lists it: the index line without its latency buckets, and its regression check. */
function jsonRun(entry: HistoryEntry, regression: unknown): Record<string, unknown> {
  const { latency: _buckets, ...rest } = entry;
  return { ...rest, regression: regression ?? null };
}

/** Lists the history as the flags say. */
export async function historyAction(ctx: Context, result: CommandResult, flags: HistoryFlags): Promise<void> {
  const query = { ...(flags.reports !== undefined ? { reports: flags.reports } : {}), ...(flags.experiment !== undefined ? { experiment: flags.experiment } : {}), ...(flags.since !== undefined ? { since: flags.since } : {}) };
  const answer = await queryHistory(ctx, query);
  const test = describeRegressionTest();
  if (flags.output === 'json') {
    const runs = answer.entries.map((e) => jsonRun(e, answer.regressions.get(e)));
    ctx.stdout.write(`${JSON.stringify({ index: answer.shownFile, exists: answer.exists, regressionTest: { ...DEFAULT_REGRESSION_SETTINGS, description: test }, runs }, null, 2)}\n`);
  } else {
    const empty = emptyHistoryText(answer, query);
    if (empty) ctx.stdout.write(empty);
    else ctx.stdout.write(`${historyTable(ctx, answer.entries, answer.regressions).join('\n')}\n\n${answer.entries.length} run(s) from ${answer.shownFile}.\n${test}.\n`);
  }
  result.exitCode = ExitCode.OK;
}
