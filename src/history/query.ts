/**
 * What `mesh-exp history` and `mesh-exp report --trend` share: finding the index (`--reports`:
 * the reports root, or the index file itself), reading it with a warning per skipped line,
 * parsing `--since`, filtering, and judging regressions over the whole history (so the first run
 * shown is still compared with the run before it, even when that one is filtered out).
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { RuntimeError, UsageError } from '../errors.js';
import { parseAge } from '../input/units.js';
import type { HistoryEntry } from './entry-schema.js';
import { filterHistory } from './filter.js';
import { historyIndexPath, readHistory, HISTORY_INDEX_FILE } from './index-file.js';
import { findRegressions, type RegressionCheck } from './regression.js';

/** The flags both commands take. */
export interface HistoryQuery {
  /** The reports root, or an index file (`*.jsonl`). @default "reports" */
  reports?: string;
  /** Only this experiment. @default all */
  experiment?: string;
  /** Only runs started within this span before now, e.g. "30d", "12h". @default all */
  since?: string;
}

/** What a query found. */
export interface HistoryAnswer {
  /** The index file as the user would name it (relative to the cwd when inside it). */
  shownFile: string;
  /** Whether the index exists. */
  exists: boolean;
  /** Valid entries in the whole index. */
  total: number;
  /** The entries that pass the filters, oldest first. */
  entries: HistoryEntry[];
  /** Each shown entry's comparison with the previous run of its experiment (absent for a first run). */
  regressions: Map<HistoryEntry, RegressionCheck>;
}

/** Parses `--since` into a start time; a bad value is a usage error (exit 2). */
export function sinceTime(since: string | undefined, now: number): number | undefined {
  if (since === undefined) return undefined;
  const ms = parseAge(since);
  if (ms === undefined) {
    throw new UsageError(`--since ${JSON.stringify(since)} is not a span of time`, { hint: 'write a number and a unit, e.g. 30d, 12h, 90m or 1w2d (units: ms, s, m, h, d, w)' });
  }
  return now - ms;
}

/** Reads, checks and filters the history as the flags say. */
export async function queryHistory(ctx: Pick<Context, 'cwd' | 'logger' | 'clock'>, query: HistoryQuery): Promise<HistoryAnswer> {
  const since = sinceTime(query.since, ctx.clock.now());
  const given = path.resolve(ctx.cwd, query.reports ?? 'reports');
  const file = given.endsWith('.jsonl') ? given : historyIndexPath(given);
  const relative = path.relative(ctx.cwd, file);
  const shownFile = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  const read = await readHistory(file, shownFile).catch((err: unknown) => {
    throw new RuntimeError(`cannot read the history ${shownFile}: ${(err as Error).message}`, {
      hint: `--reports names the reports root (the directory holding the run directories and ${HISTORY_INDEX_FILE}) or the index file itself`,
      cause: err,
    });
  });
  for (const why of read.skipped) ctx.logger.warn(`skipped ${why}`);
  const all = filterHistory(read.entries, {});
  const entries = filterHistory(all, { ...(query.experiment !== undefined ? { experiment: query.experiment } : {}), ...(since !== undefined ? { since } : {}) });
  const regressions = findRegressions(all, undefined, new Set(entries));
  return { shownFile, exists: read.exists, total: read.entries.length, entries, regressions };
}

/** Why nothing is shown, and how the index gets filled; undefined when there is something to show. */
export function emptyHistoryText(answer: HistoryAnswer, query: HistoryQuery): string | undefined {
  if (answer.entries.length > 0) return undefined;
  const how = `Every \`mesh-exp run\` appends one line to ${HISTORY_INDEX_FILE} in its reports root (the directory its run directory is created in: reports/ by default, the parent of --report-dir), and so does \`mesh-exp recover\` for the run it finishes. Point --reports at another reports root to read its history.`;
  if (!answer.exists) return `No run history yet: ${answer.shownFile} does not exist.\n${how}\n`;
  if (answer.total === 0) return `No run history yet: ${answer.shownFile} holds no valid run.\n${how}\n`;
  const which = [query.experiment !== undefined ? `of experiment ${JSON.stringify(query.experiment)}` : '', query.since !== undefined ? `started in the last ${query.since}` : ''].filter(Boolean).join(' ');
  return `No runs ${which} in ${answer.shownFile} (it holds ${answer.total} run${answer.total === 1 ? '' : 's'}; drop --experiment or widen --since to see them).\n`;
}
