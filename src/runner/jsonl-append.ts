/**
 * Durable appends to a JSON-lines file (the journal, steps.jsonl): each line is written and
 * fsync'd before the append resolves, appends are serialised so lines never interleave, and a torn
 * last line left by a crash mid-write is cut off before the first append, as a write-ahead log
 * does, so the lines appended after it stay readable.
 */
import { open, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';

/** Appends fsync'd lines to one file. */
export interface JsonlAppender {
  /** Absolute path of the file. */
  readonly path: string;
  /** Appends `value` as one JSON line and fsyncs it before resolving. */
  append(value: unknown): Promise<void>;
}

/**
 * Cuts a torn last line off; returns whether the file existed.
 */
async function repairTail(file: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (text !== '' && !text.endsWith('\n')) await truncate(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
  return true;
}

/** fsyncs a directory (best effort: some file systems refuse it). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  try {
    await fh?.sync();
  } catch {
    // Not supported here; the file's own fsync is what we can do.
  } finally {
    await fh?.close();
  }
}

/** Creates an appender for `file` (its directory must exist; the file is created on the first append). */
export function createJsonlAppender(file: string): JsonlAppender {
  const abs = path.resolve(file);
  let tail: Promise<void> = Promise.resolve();
  let first = true;
  return {
    path: abs,
    append(value) {
      const line = `${JSON.stringify(value)}\n`;
      const write = async () => {
        const existed = first ? await repairTail(abs) : true;
        const fh = await open(abs, 'a');
        try {
          await fh.writeFile(line, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
        // A new file's directory entry must be durable too, or a power loss could lose the file.
        if (!existed) await syncDir(path.dirname(abs));
        first = false;
      };
      const next = tail.then(write);
      tail = next.catch(() => {});
      return next;
    },
  };
}
