/**
 * Byte-level mutations: what a file can be when it is not the text its author meant. Truncations,
 * byte-order marks and other encodings (UTF-16, Latin-1), NUL bytes, invalid UTF-8, flipped
 * bits, or random bytes altogether.
 */

/** One byte-level mutation. */
export type ByteOp =
  | { op: 'truncate'; at: number }
  | { op: 'encoding'; as: 'utf8-bom' | 'utf16le-bom' | 'utf16be-bom' | 'utf16le' | 'latin1' }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'flip'; at: number; mask: number }
  | { op: 'random'; bytes: Uint8Array };

/** Byte sequences that are not valid UTF-8 (or are NULs), each a classic decoder trap. */
export const BAD_BYTES: readonly number[][] = [
  [0x00], [0xff], [0xfe], [0x80], [0xc3, 0x28], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82],
];

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

function reencode(bytes: Buffer, as: Extract<ByteOp, { op: 'encoding' }>['as']): Buffer {
  const text = bytes.toString('utf8');
  switch (as) {
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'latin1':
      // A comment with accents first, so the file has bytes that Latin-1 and UTF-8 read differently.
      return Buffer.from(`# café, naïve, Zürich\n${text}`, 'latin1');
  }
}

/** Applies `ops` in order to `bytes`; returns a new buffer. */
export function applyByteOps(bytes: Buffer, ops: readonly ByteOp[]): Buffer {
  let out: Buffer = Buffer.from(bytes);
  for (const o of ops) {
    const at = (n: number) => (out.length === 0 ? 0 : n % (out.length + 1));
    switch (o.op) {
      case 'truncate':
        out = out.subarray(0, at(o.at));
        break;
      case 'encoding':
        out = reencode(out, o.as);
        break;
      case 'insert': {
        const i = at(o.at);
        out = Buffer.concat([out.subarray(0, i), Buffer.from(o.bytes), out.subarray(i)]);
        break;
      }
      case 'flip':
        if (out.length > 0) out[o.at % out.length]! ^= o.mask || 1;
        break;
      case 'random':
        out = Buffer.from(o.bytes);
        break;
    }
  }
  return out;
}

/** Whether `bytes` are valid UTF-8 (a decoder in fatal mode accepts them). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
