import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ResponseParser } from './http1-response-parser.js';

interface Seen {
  status?: number;
  headers?: IncomingHttpHeaders;
  keepAlive?: boolean;
  hint?: number;
  body: string;
  ended: number;
  error?: string;
}

function parse(method: string, pieces: string[], closeAtEnd = false): Seen {
  const seen: Seen = { body: '', ended: 0 };
  const p = new ResponseParser({
    onHead: (status, headers, keepAlive, hint) => Object.assign(seen, { status, headers, keepAlive }, hint === undefined ? {} : { hint }),
    onBody: (c) => void (seen.body += c.toString('latin1')),
    onEnd: () => void seen.ended++,
    onError: (e) => void (seen.error = e.message),
  });
  p.expect(method);
  for (const piece of pieces) p.feed(Buffer.from(piece, 'latin1'));
  if (closeAtEnd) p.finish();
  return seen;
}

/** Every way of splitting `text` in two. */
const splits = (text: string) => Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);

describe('ResponseParser', () => {
  it('content-length bodies, in one piece or split anywhere', () => {
    const raw = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Version: v2\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nVia: a\r\nVia: b\r\n\r\nhello';
    for (const pieces of [[raw], ...splits(raw)]) {
      const s = parse('GET', pieces);
      expect(s).toEqual({ status: 200, headers: { 'content-length': '5', 'x-version': 'v2', 'set-cookie': ['a=1', 'b=2'], via: 'a, b' }, keepAlive: true, body: 'hello', ended: 1 });
    }
  });

  it('chunked bodies with extensions and trailers, split anywhere', () => {
    const raw = 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (const pieces of [[raw], ...splits(raw)]) {
      const s = parse('POST', pieces);
      expect([s.status, s.body, s.ended, s.error]).toEqual([201, 'hello, world', 1, undefined]);
    }
  });

  it('no body for HEAD, 204 and 304, even with a content-length', () => {
    expect(parse('HEAD', ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'])).toMatchObject({ status: 200, body: '', ended: 1 });
    expect(parse('GET', ['HTTP/1.1 204 No Content\r\n\r\n'])).toMatchObject({ status: 204, ended: 1 });
    expect(parse('GET', ['HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n'])).toMatchObject({ status: 304, ended: 1 });
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'])).toMatchObject({ status: 200, ended: 1 });
  });

  it('uses hop-by-hop headers for framing and leaves them out of the headers it reports', () => {
    const s = parse('GET', ['HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nUpgrade: h2c\r\nX-A:  spaced value \t\r\n\r\n2\r\nok\r\n0\r\n\r\n']);
    expect(s).toEqual({ status: 200, headers: { 'x-a': 'spaced value' }, keepAlive: true, hint: 5, body: 'ok', ended: 1 });
  });

  it('skips interim 1xx responses', () => {
    expect(parse('GET', ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'])).toMatchObject({ status: 200, body: 'ok', ended: 1 });
  });

  it('reads until close without a length; keep-alive follows Connection and the HTTP version', () => {
    const s = parse('GET', ['HTTP/1.1 200 OK\r\n\r\nsome ', 'data'], true);
    expect([s.body, s.ended, s.keepAlive]).toEqual(['some data', 1, false]);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n']).keepAlive).toBe(false);
    expect(parse('GET', ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n']).keepAlive).toBe(false);
    expect(parse('GET', ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n']).keepAlive).toBe(true);
  });

  it('reports malformed or cut responses', () => {
    expect(parse('GET', ['HTTP/2 200 OK\r\n\r\n']).error).toMatch(/bad status line/);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nno colon\r\n\r\n']).error).toMatch(/bad header/);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n']).error).toMatch(/content-length/);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']).error).toMatch(/chunk size/);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], true).error).toMatch(/closed before/);
    expect(parse('GET', ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab']).error).toMatch(/unexpected bytes/);
    expect(parse('GET', ['HTTP/1.1 101 Switching Protocols\r\n\r\n']).error).toMatch(/upgrades/);
    expect(parse('GET', [`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`]).error).toMatch(/64 KiB/);
  });

  it('parses several responses in turn', () => {
    const seen: number[] = [];
    const p = new ResponseParser({ onHead: (s) => void seen.push(s), onBody: () => {}, onEnd: () => {}, onError: (e) => { throw e; } });
    for (const status of [200, 404, 503]) {
      p.expect('GET');
      p.feed(Buffer.from(`HTTP/1.1 ${status} X\r\nContent-Length: 1\r\n\r\nx`));
      expect(p.done).toBe(true);
    }
    expect(seen).toEqual([200, 404, 503]);
  });
});
