/**
 * Finding the run directory `mesh-exp recover` acts on: the one named, or the newest one under the
 * report directory whose journal is unrecovered (a restore is pending, a promoted run's
 * ownership mark may be left, or a process the run started may still run).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { notARegularFile } from '../input/read-user-file.js';
import { JOURNAL_FILE, pendingChildren, pendingClusterObjects, pendingRelease, pendingRestore, readJournal, snapshotOf, type JournalEntry } from './journal.js';

/** A run directory and its journal. */
export interface FoundRun {
  /** Absolute run directory. */
  dir: string;
  /** Absolute journal path. */
  journal: string;
  /** The journal's entries. */
  entries: JournalEntry[];
}

/** Whether `p` is a regular file (false when it does not exist or cannot be read). */
export const isFile = (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);
const isDir = (p: string) => stat(p).then((s) => s.isDirectory(), () => false);

/** Whether a journal still owes something: a restore, the removal of a promoted run's mark, or stopping a process it started. */
export function isUnrecovered(entries: readonly JournalEntry[]): boolean {
  return pendingRestore(entries) !== undefined || pendingRelease(entries) || pendingChildren(entries).length > 0 || pendingClusterObjects(entries).length > 0;
}

/**
 * The run directory named by `given` (a run directory or its journal.jsonl), resolved against
 * `cwd`; UsageError when there is no journal there.
 */
export async function namedRun(given: string, cwd: string): Promise<FoundRun> {
  const abs = path.resolve(cwd, given);
  const dir = path.basename(abs) === JOURNAL_FILE && (await isFile(abs)) ? path.dirname(abs) : abs;
  const journal = path.join(dir, JOURNAL_FILE);
  if (!(await isFile(journal))) {
    // Only a regular file is read: a FIFO or a device there would block or never end.
    const kind = await stat(journal).then(notARegularFile, () => undefined);
    const what = kind ? `${path.join(given, JOURNAL_FILE)} ${kind}` : (await isDir(dir)) ? `${given} has no ${JOURNAL_FILE}: it is not a run directory` : `no such run directory: ${given}`;
    throw new UsageError(what, {
      hint: 'give the directory `mesh-exp run` wrote (reports/<name>-<timestamp>/, or its --report-dir)',
    });
  }
  return { dir, journal, entries: await readJournal(journal) };
}

/** Options of {@link findUnrecovered}. */
export interface FindRunsOptions {
  /** Directory holding run directories (or itself a run directory). */
  reportDir: string;
  /** Told about each run directory skipped because its journal cannot be read. */
  onSkip?: (dir: string, err: unknown) => void;
}

/** The unrecovered runs under the report directory, newest (by snapshot time) first. */
export async function findUnrecovered(options: FindRunsOptions): Promise<FoundRun[]> {
  const { reportDir } = options;
  const dirs = (await isFile(path.join(reportDir, JOURNAL_FILE)))
    ? [reportDir]
    : (await readdir(reportDir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => path.join(reportDir, e.name));
  const found: (FoundRun & { time: number })[] = [];
  for (const dir of dirs) {
    const journal = path.join(dir, JOURNAL_FILE);
    if (!(await isFile(journal))) continue;
    try {
      const entries = await readJournal(journal);
      if (isUnrecovered(entries)) found.push({ dir, journal, entries, time: snapshotOf(entries)?.time ?? 0 });
    } catch (err) {
      options.onSkip?.(dir, err);
    }
  }
  return found.sort((a, b) => b.time - a.time).map(({ time: _time, ...run }) => run);
}
