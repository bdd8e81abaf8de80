/**
 * Calls `onLine` for every line of a text stream, synchronously within each chunk: no promise and
 * no readline machinery per line, which at a million lines per second is most of the cost of
 * reading vegeta's results (readline's own per-line work measured about as much as parsing them).
 * Memory is one chunk plus one partial line; a line longer than `maxLineLength` is an error, so
 * one endless line cannot take the memory.
 */
import type { Readable } from 'node:stream';

/** A line longer than the reader's bound. */
export class LineTooLongError extends Error {
  constructor(max: number) {
    super(`a line longer than ${max} characters`);
    this.name = 'LineTooLongError';
  }
}

/** Options of {@link forEachLine}. */
export interface ForEachLineOptions {
  /** Longest line accepted, in UTF-16 code units. @default 1048576 */
  maxLineLength?: number;
}

/**
 * Reads `input` as UTF-8 to its end, calling `onLine` with each line (without its "\n"; a "\r"
 * before it is dropped; the last line without a newline counts). Rejects with what `onLine`
 * throws, or when a line is longer than `maxLineLength`.
 */
export async function forEachLine(input: Readable, onLine: (line: string) => void, options: ForEachLineOptions = {}): Promise<void> {
  const max = options.maxLineLength ?? 1 << 20;
  input.setEncoding('utf8');
  let partial = '';
  const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (nl >= 0 && partial !== '') {
      emit(partial + chunk.slice(0, nl));
      partial = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    for (; nl >= 0; start = nl + 1, nl = chunk.indexOf('\n', start)) emit(chunk.slice(start, nl));
    partial += chunk.slice(start);
    if (partial.length > max) throw new LineTooLongError(max);
  }
  if (partial !== '') emit(partial);
}
