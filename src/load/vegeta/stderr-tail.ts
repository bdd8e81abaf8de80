/** Keeps the last lines of a child's stderr (bounded), to quote when the child fails. */
import type { Readable } from 'node:stream';

/** The kept tail. */
export interface StderrTail {
  /** The last lines, trimmed, joined with newlines ("" when nothing was written). */
  text(): string;
}

/**
 * Reads `stream` to its end, keeping at most `maxChars` of its end (and so of its last lines).
 * @param maxChars @default 2000
 */
export function createStderrTail(stream: Readable, maxChars = 2000): StderrTail {
  let kept = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    kept = (kept + chunk).slice(-maxChars);
  });
  stream.on('error', () => {});
  return {
    text: () =>
      kept
        .split('\n')
        .map((l) => l.trimEnd())
        .filter((l) => l !== '')
        .slice(-10)
        .join('\n'),
  };
}
