/**
 * The run history file, `<reports root>/index.jsonl`: one JSON line per finished run.
 *
 * Appends are safe for concurrent runs: each line goes out in a single write(2) on a descriptor
 * opened with O_APPEND (so lines of two processes never interleave: the kernel appends each write
 * whole) and is fsync'd before the append resolves. A crash mid-write can leave a torn last line;
 * the next append then starts on a fresh line (a stray newline is harmless), rather than cutting
 * the file as the journal does, since another run may be appending at that moment. On read, a
 * line that is not JSON or not a valid entry is skipped with one warning naming file:line, never
 * fatal: the history is a convenience, not a record the run depends on.
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyEntrySchema, type HistoryEntry } from './entry-schema.js';

/** The index's file name in the reports root. */
export const HISTORY_INDEX_FILE = 'index.jsonl';

/** Path of the index in `reportsRoot`. */
export function historyIndexPath(reportsRoot: string): string {
  return path.join(reportsRoot, HISTORY_INDEX_FILE);
}

/** Whether the file's last byte is a newline (or the file is empty). */
async function endsClean(fh: Awaited<ReturnType<typeof open>>): Promise<boolean> {
  const { size } = await fh.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** Appends one entry to `file` (created if missing; its directory must exist): one write, then fsync. */
export async function appendHistoryEntry(file: string, entry: HistoryEntry): Promise<void> {
  const line = `${JSON.stringify(historyEntrySchema.parse(entry))}\n`;
  // O_RDWR for the tail check; O_APPEND makes every write land at the end, whatever others wrote.
  const fh = await open(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o644);
  try {
    const data = Buffer.from((await endsClean(fh)) ? line : `\n${line}`, 'utf8');
    const { bytesWritten } = await fh.write(data, 0, data.length);
    if (bytesWritten !== data.length) throw new Error(`short write to ${file}: ${bytesWritten} of ${data.length} bytes`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** What {@link readHistory} found. */
export interface HistoryRead {
  /** Valid entries, in file order. */
  entries: HistoryEntry[];
  /** Whether the file exists. */
  exists: boolean;
  /** Lines skipped (not JSON, or not a valid entry), as `file:line: why`. */
  skipped: string[];
}

/** Longest line read; anything longer is skipped (a valid entry is a few KB). */
const MAX_LINE_CHARS = 1_000_000;

/** Parses the index's text; `file` names the lines in the skip reasons. */
export function parseHistory(text: string, file: string): Omit<HistoryRead, 'exists'> {
  const entries: HistoryEntry[] = [];
  const skipped: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `${file}:${i + 1}`;
    if (line.length > MAX_LINE_CHARS) return void skipped.push(`${at}: a line of ${line.length} characters (at most ${MAX_LINE_CHARS})`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return void skipped.push(`${at}: not JSON (a torn or hand-edited line)`);
    }
    const parsed = historyEntrySchema.safeParse(value);
    if (parsed.success) return void entries.push(parsed.data);
    const issue = parsed.error.issues[0]!;
    skipped.push(`${at}: not a history entry (${issue.path.join('.') || '(line)'}: ${issue.message})`);
  });
  return { entries, skipped };
}

/** Reads and checks the index; a missing file is an empty history. */
export async function readHistory(file: string, shownAs: string = file): Promise<HistoryRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], exists: false, skipped: [] };
    throw err;
  }
  return { ...parseHistory(text, shownAs), exists: true };
}
