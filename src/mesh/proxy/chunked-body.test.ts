import { describe, expect, it } from 'vitest';
import { ChunkedBodyDecoder, ChunkedBodyError, type ChunkedBodyOptions } from './chunked-body.js';

// Feeds `body` split at `cut`, keeping an incomplete line for the next piece as the parsers do.
function decode(body: string, options: ChunkedBodyOptions, cut = body.length, after = ''): { data: string; done: boolean; rest: string } {
  const d = new ChunkedBodyDecoder(options);
  let data = '';
  let pending = Buffer.alloc(0);
  let at = 0;
  const pieces = [body.slice(0, cut), body.slice(cut) + after];
  for (let i = 0; i < pieces.length; i++) {
    const buf = Buffer.concat([pending, Buffer.from(pieces[i]!, 'latin1')]);
    at = d.feed(buf, 0, (c) => void (data += c.toString('latin1')));
    if (d.done) return { data, done: true, rest: buf.toString('latin1', at) + pieces.slice(i + 1).join('') };
    pending = buf.subarray(at);
  }
  return { data, done: d.done, rest: pending.toString('latin1') };
}

const BODY = '5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';

describe('ChunkedBodyDecoder', () => {
  it('decodes chunks, extensions and trailers split at any byte, and stops at the body end', () => {
    for (let cut = 0; cut <= BODY.length; cut++) {
      for (const strict of [false, true]) {
        expect(decode(BODY, { maxLine: 100, strict }, cut, 'GET /next')).toEqual({ data: 'hello, world', done: true, rest: 'GET /next' });
      }
    }
  });

  it('is lenient about whitespace and trailer lines unless strict', () => {
    const body = '2 \r\nok\r\n0\r\nnot a field\r\n\r\n';
    expect(decode(body, { maxLine: 100 })).toMatchObject({ data: 'ok', done: true });
    expect(() => decode(body, { maxLine: 100, strict: true })).toThrow(/bad chunk size "2 "/);
    expect(() => decode('0\r\nnot a field\r\n\r\n', { maxLine: 100, strict: true })).toThrow(/bad trailer/);
  });

  it('refuses a bad size, data without its CRLF and an over-long line', () => {
    expect(() => decode('zz\r\n', { maxLine: 100 })).toThrow(ChunkedBodyError);
    expect(() => decode('2\r\nokX\r\n', { maxLine: 100 })).toThrow(/missing CRLF after chunk data/);
    expect(() => decode(`${'1'.repeat(20)}`, { maxLine: 10 })).toThrow(/chunk line too long/);
    // Within the limit an incomplete line is a wait for more bytes, not an error.
    expect(decode('1;a=b', { maxLine: 10 })).toEqual({ data: '', done: false, rest: '1;a=b' });
  });

  it('starts over after reset', () => {
    const d = new ChunkedBodyDecoder({ maxLine: 100 });
    const sink = () => {};
    d.feed(Buffer.from('0\r\n\r\n'), 0, sink);
    expect(d.done).toBe(true);
    d.reset();
    expect(d.done).toBe(false);
    expect(d.feed(Buffer.from('1\r\nx\r\n0\r\n\r\n'), 0, sink)).toBe(11);
    expect(d.done).toBe(true);
  });
});
