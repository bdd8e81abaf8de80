/**
 * The one way mesh-exp reads a file a user named (experiment, manifests, a saved result.json):
 * regular files only, and never more than the limit. The kind of file is checked with `stat`
 * before it is opened (opening a FIFO would block until a writer comes, and ignore SIGTERM meanwhile),
 * checked again on the open handle, and the size is enforced while reading: at most limit + 1 bytes
 * are read, whatever `stat` said (/dev/zero, /proc files and growing files report a wrong size).
 * The bytes are then decoded as UTF-8 by {@link decodeUserText}, which refuses other encodings.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Problem } from '../errors.js';
import { decodeUserText } from './text-encoding.js';

/** Largest file {@link readUserText} accepts by default: 1 MiB (experiments and manifests are a few KiB). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Options of {@link readUserText}. */
export interface ReadUserTextOptions {
  /**
   * Largest file accepted, in bytes; a bigger one is refused after reading one byte past this.
   * @default 1048576 (1 MiB)
   */
  maxBytes?: number;
}

/** What reading gave: the text, or the problems that kept it from being read. */
export interface UserText {
  /** The decoded text (a UTF-8 byte order mark removed); set only when `problems` is empty. */
  text?: string;
  /** Located problems (at line 1 unless the spot is known, e.g. the first byte that is not UTF-8). */
  problems: Problem[];
}

// Each read asks for at most this much, so a file that lies about its size costs one chunk extra.
const CHUNK_BYTES = 64 * 1024;
// Opening never waits: a FIFO swapped in after the stat opens at once instead of blocking (POSIX).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Formats a byte count for people: 512 B, 3.5 KiB, 1.2 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
}

/** What a file system entry is, in words, when it is not a regular file (undefined when it is). */
export function notARegularFile(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return 'is a directory, not a file';
  if (info.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (info.isCharacterDevice()) return 'is a character device, not a regular file';
  if (info.isBlockDevice()) return 'is a block device, not a regular file';
  if (info.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** The problem of a file over `max` bytes (`size` undefined: refused while reading, size unknown). */
export function oversizeProblem(file: string, size: number | undefined, max: number): Problem {
  const what = size === undefined ? `the file is over the ${formatBytes(max)} limit` : `the file is ${formatBytes(size)}, over the ${formatBytes(max)} limit`;
  return { file, line: 1, col: 1, path: '', message: what, hint: 'experiment files and manifests are small; check that this is the right file' };
}

/** Reads at most `max` + 1 bytes; returns undefined when there were more than `max`. */
async function readBounded(absPath: string, max: number): Promise<{ bytes?: Buffer; kind?: string }> {
  const handle = await open(absPath, OPEN_FLAGS);
  try {
    // The entry may have been swapped between the stat and the open: the handle is what counts.
    const kind = notARegularFile(await handle.stat());
    if (kind) return { kind };
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= max) {
      const want = Math.min(CHUNK_BYTES, max + 1 - total);
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return total > max ? {} : { bytes: Buffer.concat(chunks, total) };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a user's text file: a regular file of at most `maxBytes`, in UTF-8. Never throws for a
 * user mistake: a missing, special, oversize, unreadable or non-UTF-8 file gives a located problem.
 * @param absPath the file to read
 * @param file the name used in problems (as the user named it)
 */
export async function readUserText(absPath: string, file: string, options: ReadUserTextOptions = {}): Promise<UserText> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const at = { file, line: 1, col: 1, path: '' };
  try {
    const info = await stat(absPath);
    const kind = notARegularFile(info);
    if (kind) return { problems: [{ ...at, message: kind, hint: 'give the path of a regular YAML file' }] };
    // A quick refusal when the size is known; the read below enforces it whatever stat says.
    if (info.size > maxBytes) return { problems: [oversizeProblem(file, info.size, maxBytes)] };
    const read = await readBounded(absPath, maxBytes);
    if (read.kind) return { problems: [{ ...at, message: read.kind, hint: 'give the path of a regular YAML file' }] };
    if (!read.bytes) return { problems: [oversizeProblem(file, undefined, maxBytes)] };
    return decodeUserText(read.bytes, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problems: [{ ...at, message: 'file not found', hint: 'check the path and the current directory' }] };
    if (code === 'EACCES') return { problems: [{ ...at, message: 'permission denied: cannot read the file' }] };
    return { problems: [{ ...at, message: `cannot read the file: ${(err as Error).message}` }] };
  }
}
