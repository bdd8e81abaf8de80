/**
 * Choosing the runs `history` and `report --trend` show: one experiment or all, those started
 * within a span before now, newest last.
 */
import type { HistoryEntry } from './entry-schema.js';

/** What to keep. */
export interface HistoryFilter {
  /** Only this experiment (metadata.name, exact). @default every experiment */
  experiment?: string;
  /** Only runs started at or after this time, epoch ms. @default every run */
  since?: number;
}

/** The entries that pass, sorted by start time (oldest first; equal starts keep file order). */
export function filterHistory(entries: readonly HistoryEntry[], filter: HistoryFilter): HistoryEntry[] {
  return entries
    .filter((e) => (filter.experiment === undefined || e.experiment === filter.experiment) && (filter.since === undefined || e.startedAt >= filter.since))
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => a.startedAt - b.startedAt || i - j)
    .map(([e]) => e);
}

/** The experiments' names in order of their first run. */
export function experimentNames(entries: readonly HistoryEntry[]): string[] {
  return [...new Set(entries.map((e) => e.experiment))];
}
