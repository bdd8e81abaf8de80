import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, type RequestHead, RequestParseError, RequestParser } from './http1-request-parser.js';

interface Parsed {
  method: string;
  url: string;
  version: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Outcome = { refused: true } | { refused: false; requests: Parsed[] };

/** Parses `input` split at `cut` (incrementality), the way downstream.ts drives the parser. */
function parse(input: Buffer, cut = input.length): Outcome & { status?: number; handOff?: boolean; rest?: number } {
  const requests: Parsed[] = [];
  let current: Parsed | undefined;
  let handOff = false;
  const p = new RequestParser({
    onRequest(h: RequestHead) {
      if (h.handOff) return void (handOff = true);
      current = { method: h.method, url: h.url, version: h.minor === 1 ? '1.1' : '1.0', headers: h.headers, body: '' };
      requests.push(current);
    },
    onBody(c) {
      current!.body += c.toString('latin1');
    },
    onEnd() {},
  });
  let buf = input.subarray(0, cut);
  let rest = input.subarray(cut);
  try {
    for (;;) {
      if (p.done) p.next();
      const at = p.feed(buf, 0);
      if (handOff) return { refused: false, requests, handOff, rest: buf.length - at };
      buf = buf.subarray(at);
      if (at === 0 && !p.done) {
        if (rest.length === 0) break;
        buf = Buffer.concat([buf, rest]);
        rest = Buffer.alloc(0);
      }
      if (buf.length === 0 && rest.length === 0) break;
    }
  } catch (err) {
    if (err instanceof RequestParseError) return { refused: true, status: err.status };
    throw err;
  }
  return { refused: false, requests };
}

const req = (s: string) => Buffer.from(s, 'latin1');

describe('RequestParser', () => {
  it('parses a GET with Node\'s duplicate rules (first-only, set-cookie list, cookie "; ", others ", ")', () => {
    const out = parse(req('GET /a?b=1 HTTP/1.1\r\nHost: h\r\nhost: other\r\nX-A: 1\r\nx-a: 2\r\nCookie: a=1\r\ncookie: b=2\r\nSet-Cookie: s=1\r\nset-cookie: s=2\r\n\r\n'));
    expect(out).toEqual({ refused: false, requests: [{ method: 'GET', url: '/a?b=1', version: '1.1', body: '', headers: { host: 'h', 'x-a': '1, 2', cookie: 'a=1; b=2', 'set-cookie': ['s=1', 's=2'] } }] });
  });

  it('reads content-length and chunked bodies, and pipelined requests one after the other, at any split', () => {
    const input = req('POST /p HTTP/1.1\r\nhost: h\r\ncontent-length: 5\r\n\r\nhelloPUT /q HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\ntrailer: t\r\n\r\nGET / HTTP/1.0\r\n\r\n');
    for (let cut = 0; cut <= input.length; cut++) {
      const out = parse(input, cut);
      expect(out.refused).toBe(false);
      if (!out.refused) expect(out.requests.map((r) => [r.method, r.body, r.version])).toEqual([['POST', 'hello', '1.1'], ['PUT', 'abcde', '1.1'], ['GET', '', '1.0']]);
    }
  });

  it('keep-alive follows HTTP/1.0 and 1.1 rules', () => {
    const ka = (s: string) => {
      let k: boolean | undefined;
      new RequestParser({ onRequest: (h) => void (k = h.keepAlive), onBody() {}, onEnd() {} }).feed(req(s), 0);
      return k;
    };
    expect(ka('GET / HTTP/1.1\r\nhost: h\r\n\r\n')).toBe(true);
    expect(ka('GET / HTTP/1.1\r\nhost: h\r\nconnection: Close\r\n\r\n')).toBe(false);
    expect(ka('GET / HTTP/1.0\r\n\r\n')).toBe(false);
    expect(ka('GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n')).toBe(true);
  });

  it("refuses what Envoy refuses: 431 for a head over 60 KiB or over 100 headers, 400 for malformed", () => {
    expect(parse(req(`GET / HTTP/1.1\r\nhost: h\r\nx: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`))).toMatchObject({ refused: true, status: 431 });
    expect(parse(req(`GET / HTTP/1.1\r\nx: ${'a'.repeat(MAX_HEAD_BYTES)}`))).toMatchObject({ refused: true, status: 431 });
    expect(parse(req(`GET / HTTP/1.1\r\nhost: h\r\n${'x: 1\r\n'.repeat(101)}\r\n`))).toMatchObject({ refused: true, status: 431 });
    for (const bad of [
      'GET / HTTP/1.1\r\nhost: h\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET / HTTP/1.1\r\nhost: h\r\ncontent-length: 1\r\ncontent-length: 1\r\n\r\nab',
      'GET / HTTP/1.1\r\nhost: h\r\ncontent-length: x\r\n\r\n',
      'GET / HTTP/1.1\r\nhost: h\r\ntransfer-encoding: gzip\r\n\r\n',
      'GET / HTTP/1.1\r\nhost: h\r\nbad name: x\r\n\r\n',
      'GET / HTTP/1.1\r\nhost: h\r\nx: a\x01b\r\n\r\n',
      'GET /a b HTTP/1.1\r\nhost: h\r\n\r\n',
      'FOO / HTTP/1.1\r\nhost: h\r\n\r\n',
      'GET / HTTP/1.2\r\nhost: h\r\n\r\n',
      'POST / HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
      'GET / HTTP/1.1\r\n\r\n',
    ]) expect(parse(req(bad)), JSON.stringify(bad)).toMatchObject({ refused: true, status: 400 });
  });

  it('hands CONNECT, Upgrade and Expect to node:http without consuming the request', () => {
    for (const s of ['CONNECT h:443 HTTP/1.1\r\nhost: h:443\r\n\r\n', 'GET / HTTP/1.1\r\nhost: h\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n', 'POST / HTTP/1.1\r\nhost: h\r\nexpect: 100-continue\r\ncontent-length: 1\r\n\r\n']) {
      const input = req(`GET /first HTTP/1.1\r\nhost: h\r\n\r\n${s}`);
      const out = parse(input);
      expect(out).toMatchObject({ handOff: true, rest: s.length });
      if (!out.refused) expect(out.requests.map((r) => r.url)).toEqual(['/first']);
    }
  });
});

// ---- the same inputs through Node's own server (llhttp + IncomingMessage): same accept/refuse, same heads.

let server: Server;
let port = 0;
const seen = new Map<string, Outcome>();
beforeAll(async () => {
  server = createServer((r, res) => {
    const id = `${r.socket.localPort}:${r.socket.remotePort}`;
    const o = seen.get(id) as { refused: false; requests: Parsed[] };
    const p: Parsed = { method: r.method!, url: r.url!, version: r.httpVersion, headers: { ...r.headers }, body: '' };
    o.requests.push(p);
    r.setEncoding('latin1');
    r.on('data', (c: string) => (p.body += c));
    r.on('end', () => res.end('ok'));
  });
  server.on('clientError', (_err, socket: Socket) => {
    const id = `${socket.localPort}:${socket.remotePort}`;
    seen.set(id, { refused: true });
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends `input` to Node's server and reports what it parsed (requests, or a refusal). */
async function viaNode(input: Buffer, expected: number): Promise<Outcome> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  const id = `${port}:${s.localPort}`;
  seen.set(id, { refused: false, requests: [] });
  let answers = 0;
  let refusedByServer = false;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 300);
    s.on('data', (d: Buffer) => {
      const text = d.toString('latin1');
      answers += text.split('HTTP/1.1 200').length - 1;
      // A refusal after parsing (an HTTP/1.1 request without Host) is a 400 without 'clientError'.
      if (text.startsWith('HTTP/1.1 400')) refusedByServer = true;
      if (answers >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  s.write(input);
  await done;
  s.destroy();
  const out = seen.get(id)!;
  seen.delete(id);
  return refusedByServer && !out.refused && out.requests.length === 0 ? { refused: true } : out;
}

const safe = fc.stringMatching(/^[a-zA-Z0-9=;,. /_-]{0,12}$/);
const value = fc.oneof({ weight: 8, arbitrary: safe }, { weight: 1, arbitrary: fc.constantFrom('a\x01b', 'x\x7fy', 'caf\xe9', ' padded\t', 'a\tb', '') });
const name = fc.constantFrom('Host', 'host', 'X-A', 'x-a', 'Cookie', 'Set-Cookie', 'Content-Type', 'User-Agent', 'Accept', 'Connection', 'Bad Name', 'a@b', 'x_y', '');
const header = fc.tuple(name, value);
const framing = fc.constantFrom('none', 'length', 'chunked', 'length+te', 'badlength', 'dup-length', 'te-gzip', 'bad-chunk');
const method = fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'FOO', 'get');
const url = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('/', '/a?b=c', 'http://h/x', 'HTTP://h', '*', '/p%20q', '/#f', '//x', '/a|b{c}') }, { weight: 1, arbitrary: fc.constantFrom('/a b', '/\x7f', '/caf\xe9', '', 'a/b', 'h:80', '?a', 'x+y://h/') });
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1 ');

/** Sometimes one odd byte inserted in the head (bare CR or LF, obs-fold, NUL, a stray colon, ...). */
const mutation = fc.oneof(
  { weight: 4, arbitrary: fc.constant((s: string) => s) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '\n', '\r', ':', '\x00', '\x7f', '\r\n ', '\r\n\r\n'), fc.nat(200)).map(([c, at]) => (s: string) => {
      const head = s.indexOf('\r\n\r\n');
      const i = at % (head < 0 ? s.length : head);
      return s.slice(0, i) + c + s.slice(i);
    }),
  },
);

/** One request built from generated parts; `complete` inputs never leave Node waiting for bytes. */
function build(m: string, u: string, v: string, hs: Array<[string, string]>, f: string, body: string): string {
  let s = `${m} ${u} ${v}\r\n`;
  for (const [n, x] of hs) s += `${n}: ${x}\r\n`;
  const b = m === 'GET' || m === 'HEAD' ? '' : body;
  switch (f) {
    case 'length':
      return `${s}content-length: ${b.length}\r\n\r\n${b}`;
    case 'chunked':
      return `${s}transfer-encoding: chunked\r\n\r\n${b.length ? `${b.length.toString(16)}\r\n${b}\r\n` : ''}0\r\n\r\n`;
    case 'length+te':
      return `${s}content-length: ${b.length}\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`;
    case 'badlength':
      return `${s}content-length: 1x\r\n\r\n`;
    case 'dup-length':
      return `${s}content-length: 0\r\ncontent-length: 0\r\n\r\n`;
    case 'te-gzip':
      return `${s}transfer-encoding: gzip\r\n\r\n`;
    case 'bad-chunk':
      return `${s}transfer-encoding: chunked\r\n\r\nzz\r\n`;
    default:
      return `${s}\r\n`;
  }
}

describe('RequestParser against llhttp (node:http)', () => {
  it('accepts and refuses the same requests and parses the same heads and bodies', async () => {
    await fc.assert(
      fc.asyncProperty(method, url, version, fc.array(header, { maxLength: 6 }), framing, safe, fc.nat(400), mutation, async (m, u, v, hs, f, body, cutSeed, mutate) => {
        const text = mutate(build(m, u, v, hs, f, body));
        const input = Buffer.from(text, 'latin1');
        const mine = parse(input, cutSeed % (input.length + 1));
        const node = await viaNode(input, 1);
        // Handed off: node:http itself serves it.
        if (mine.handOff) return;
        if (mine.refused || node.refused) expect({ refused: mine.refused, text: JSON.stringify(text) }).toEqual({ refused: node.refused, text: JSON.stringify(text) });
        else expect({ requests: mine.requests, text: JSON.stringify(text) }).toEqual({ requests: node.requests, text: JSON.stringify(text) });
      }),
      { numRuns: 500 },
    );
  });
});
