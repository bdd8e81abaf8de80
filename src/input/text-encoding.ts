/**
 * Turns a user file's bytes into text, in UTF-8 only (as YAML 1.2 and kubectl expect), and
 * refuses anything else with a message that names what the file is and how to convert it:
 * - a UTF-16 or UTF-32 file (byte order mark, or the NUL-byte pattern of UTF-16 without one);
 * - bytes that are not UTF-8 (e.g. Latin-1 "é" = 0xE9): refused at the first one, with its line
 *   and column. Refused rather than replaced by U+FFFD with a warning, because a replaced value
 *   (a header, a query, a name) would silently differ from what the user wrote;
 * - a NUL byte (YAML forbids it; the file is binary, or in an encoding not recognised above).
 * A UTF-8 byte order mark is accepted and removed.
 */
import type { Problem } from '../errors.js';

/** A multi-byte encoding recognised by its byte order mark or NUL pattern. */
interface Encoding {
  /** Name for the message, e.g. "UTF-16 (little-endian, with a byte order mark)". */
  name: string;
  /** Name iconv knows it by, for the hint. */
  iconv: string;
}

const BOMS: readonly [readonly number[], Encoding][] = [
  // UTF-32 first: its little-endian mark starts with UTF-16's.
  [[0xff, 0xfe, 0x00, 0x00], { name: 'UTF-32 (little-endian, with a byte order mark)', iconv: 'UTF-32' }],
  [[0x00, 0x00, 0xfe, 0xff], { name: 'UTF-32 (big-endian, with a byte order mark)', iconv: 'UTF-32' }],
  [[0xff, 0xfe], { name: 'UTF-16 (little-endian, with a byte order mark)', iconv: 'UTF-16' }],
  [[0xfe, 0xff], { name: 'UTF-16 (big-endian, with a byte order mark)', iconv: 'UTF-16' }],
];

// Bytes looked at to recognise UTF-16 without a mark: YAML starts with ASCII (keys, comments, ---).
const SNIFF_BYTES = 64;

/** The encoding of a UTF-16/32 file, from its byte order mark or its NULs; undefined otherwise. */
export function detectWideEncoding(bytes: Uint8Array): Encoding | undefined {
  for (const [mark, encoding] of BOMS) if (mark.every((b, i) => bytes[i] === b)) return encoding;
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++;
  // ASCII in UTF-16LE is "c 00 c 00": every odd byte NUL, no even one (and the other way round for BE).
  if (oddZeros === n / 2 && evenZeros === 0) return { name: 'UTF-16 (little-endian, without a byte order mark)', iconv: 'UTF-16LE' };
  if (evenZeros === n / 2 && oddZeros === 0) return { name: 'UTF-16 (big-endian, without a byte order mark)', iconv: 'UTF-16BE' };
  return undefined;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence, or -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0 || i + more >= bytes.length) return i;
    for (let k = 1; k <= more; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF (RFC 3629's table).
    const d = bytes[i + 1]!;
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f)) return i;
    i += more + 1;
  }
  return -1;
}

/** 1-based line and column (in characters) of byte `offset`, counting only the valid text before it. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1 };
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Decodes a user file's bytes as UTF-8, or explains why it cannot.
 * @param file the name used in problems (as the user named it)
 */
export function decodeUserText(bytes: Uint8Array, file: string): { text?: string; problems: Problem[] } {
  const problem = (at: { line: number; col: number }, message: string, hint: string): { problems: Problem[] } => ({
    problems: [{ file, ...at, path: '', message, hint }],
  });
  const wide = detectWideEncoding(bytes);
  if (wide) {
    return problem({ line: 1, col: 1 }, `the file is ${wide.name}; mesh-exp reads UTF-8 only`, `convert it: iconv -f ${wide.iconv} -t UTF-8 ${file} > converted.yaml`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return problem(positionOfByte(bytes, nul), `the file holds a NUL byte (byte offset ${nul}): it is binary, or not in UTF-8`, 'give the YAML text file, saved as UTF-8');
  }
  try {
    // fatal: a byte that is not UTF-8 is an error, never a silent U+FFFD; the UTF-8 BOM is removed.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), problems: [] };
  } catch {
    const bad = Math.max(0, firstInvalidUtf8(bytes));
    return problem(
      positionOfByte(bytes, bad),
      `byte ${hex(bytes[bad] ?? 0)} (byte offset ${bad}) is not UTF-8: the file is in another encoding, e.g. Latin-1 or Windows-1252`,
      `save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8 ${file} > converted.yaml (if it is Latin-1)`,
    );
  }
}
