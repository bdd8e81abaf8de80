/**
 * Writes trend.html (atomically: a reader sees the old page or the new one).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import type { HistoryEntry } from '../../history/entry-schema.js';
import type { RegressionCheck } from '../../history/regression.js';
import { renderTrendPage, TREND_REPORT_FILE, type TrendPageOptions } from './trend-page.js';

/** Writes `<dir>/trend.html` (creating `dir`) and returns its path. */
export async function writeTrendReport(dir: string, entries: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>, options: TrendPageOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, TREND_REPORT_FILE);
  await writeFileAtomic(file, renderTrendPage(entries, regressions, options));
  return file;
}
