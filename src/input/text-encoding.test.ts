import { describe, expect, it } from 'vitest';
import { decodeUserText, detectWideEncoding, firstInvalidUtf8 } from './text-encoding.js';

const utf16le = (s: string) => Buffer.from(s, 'utf16le');
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('detectWideEncoding', () => {
  it('names UTF-16 and UTF-32 by their byte order marks', () => {
    expect(detectWideEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('a: 1\n')]))?.name).toBe('UTF-16 (little-endian, with a byte order mark)');
    expect(detectWideEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('a: 1\n')]))?.name).toBe('UTF-16 (big-endian, with a byte order mark)');
    expect(detectWideEncoding(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]))?.name).toBe('UTF-32 (little-endian, with a byte order mark)');
    expect(detectWideEncoding(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))?.name).toBe('UTF-32 (big-endian, with a byte order mark)');
  });

  it('recognises UTF-16 without a mark by its NUL bytes, and leaves UTF-8 alone', () => {
    expect(detectWideEncoding(utf16le('apiVersion: x\n'))?.iconv).toBe('UTF-16LE');
    expect(detectWideEncoding(utf16be('apiVersion: x\n'))?.iconv).toBe('UTF-16BE');
    expect(detectWideEncoding(Buffer.from('apiVersion: x\n'))).toBeUndefined();
    expect(detectWideEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBeUndefined();
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with a fatal TextDecoder on valid text and finds the first bad byte', () => {
    expect(firstInvalidUtf8(Buffer.from('ascii, é, 漢, 𝄞'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1);
    // Truncated, overlong, surrogate and out-of-range sequences.
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe6, 0xbc]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0);
  });
});

describe('decodeUserText', () => {
  it('decodes UTF-8 and removes a UTF-8 byte order mark', () => {
    expect(decodeUserText(Buffer.from('a: é\n'), 'f.yaml')).toEqual({ text: 'a: é\n', problems: [] });
    expect(decodeUserText(Buffer.from('\uFEFFa: 1\n'), 'f.yaml')).toEqual({ text: 'a: 1\n', problems: [] });
  });

  it('refuses UTF-16, naming the encoding and the iconv command', () => {
    const { text, problems } = decodeUserText(utf16le('a: 1\n'), 'f.yaml');
    expect(text).toBeUndefined();
    expect(problems).toEqual([{
      file: 'f.yaml',
      line: 1,
      col: 1,
      path: '',
      message: 'the file is UTF-16 (little-endian, without a byte order mark); mesh-exp reads UTF-8 only',
      hint: 'convert it: iconv -f UTF-16LE -t UTF-8 f.yaml > converted.yaml',
    }]);
  });

  it('refuses Latin-1 at the line and column of the first byte that is not UTF-8', () => {
    const latin1 = Buffer.from('a: 1\nname: caf\u00e9\n', 'latin1');
    expect(decodeUserText(latin1, 'f.yaml').problems).toMatchObject([
      { line: 2, col: 10, message: 'byte 0xE9 (byte offset 14) is not UTF-8: the file is in another encoding, e.g. Latin-1 or Windows-1252' },
    ]);
  });

  it('refuses a NUL byte', () => {
    expect(decodeUserText(Buffer.from('a: 1\nb: \0\n'), 'f.yaml').problems).toMatchObject([{ line: 2, col: 4 }]);
  });
});
