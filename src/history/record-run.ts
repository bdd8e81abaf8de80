/**
 * Appending a finished run to the history: the one call `mesh-exp run` and `mesh-exp recover`
 * make. The reports root is the directory the run directory was created in (`reports/` under the
 * working directory by default; the parent of --report-dir), or for a run of a game day, the one
 * the game day's directory was created in (its runs are inside it). A failure only warns: the run's own
 * reports are what matter, and the history can miss a line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../context.js';
import { GAMEDAY_JOURNAL_FILE } from '../model/gameday-result.js';
import { buildHistoryEntry, type EntryInput } from './build-entry.js';
import { appendHistoryEntry, historyIndexPath } from './index-file.js';

/** The reports root of a run directory: the directory it sits in. */
export function reportsRootOf(runDir: string): string {
  return path.dirname(path.resolve(runDir));
}

/** Appends the run's line to `<reports root>/index.jsonl`; returns the index path, or undefined after a warning. */
export async function recordRunInHistory(input: Omit<EntryInput, 'reportsRoot'>, logger: Pick<Logger, 'warn'>): Promise<string | undefined> {
  // A game day's runs sit inside its directory: the day's own directory is the one in the root.
  // A run recovered on its own (`recover <day>/02-x`) is told no day: its directory says so.
  const gameDay = input.gameDay ?? (await gameDayAround(input.runDir));
  const reportsRoot = reportsRootOf(gameDay ? gameDay.dir : input.runDir);
  const file = historyIndexPath(reportsRoot);
  try {
    await appendHistoryEntry(file, buildHistoryEntry({ ...input, ...(gameDay ? { gameDay } : {}), reportsRoot }));
    return file;
  } catch (err) {
    logger.warn(`the run was not added to the history ${file}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The game day a run directory belongs to (a day's journal beside it, its name from the start line), or undefined. */
async function gameDayAround(runDir: string): Promise<{ name: string; dir: string } | undefined> {
  const dir = path.dirname(path.resolve(runDir));
  const text = await readFile(path.join(dir, GAMEDAY_JOURNAL_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let name = path.basename(dir);
  try {
    const end = text.indexOf('\n');
    const start = JSON.parse(end < 0 ? text : text.slice(0, end)) as { type?: unknown; name?: unknown };
    if (start.type === 'start' && typeof start.name === 'string') name = start.name;
  } catch {
    // A torn first line: the directory's name stands in for the day's.
  }
  return { name, dir };
}
