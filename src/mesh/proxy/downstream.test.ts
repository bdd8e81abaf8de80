import { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDownstreamServer, type DownstreamServer, type DownstreamTimeouts, type ProxyHandler } from './downstream.js';

const servers: DownstreamServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function serve(handler: ProxyHandler, timeouts?: DownstreamTimeouts): Promise<number> {
  const s = createDownstreamServer(handler, timeouts);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

/** A raw client: everything received, and a wait for a condition on it. */
async function client(port: number) {
  const s: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  let got = Buffer.alloc(0);
  let closed = false;
  const waiters: Array<() => void> = [];
  s.on('data', (d: Buffer) => {
    got = Buffer.concat([got, d]);
    for (const w of waiters.splice(0)) w();
  });
  s.on('close', () => {
    closed = true;
    for (const w of waiters.splice(0)) w();
  });
  const until = async (ok: (text: string) => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!ok(got.toString('latin1'))) {
      if (closed || Date.now() > end) break;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return got.toString('latin1');
  };
  return { s, until, text: () => got.toString('latin1'), bytes: () => got, closed: () => closed };
}

const count = (text: string, what: string) => text.split(what).length - 1;

/** Echoes method, url and body; `/slow` answers after 50 ms; `/pieces` writes its body in three writes. */
const echo: ProxyHandler = (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const answer = () => {
      if (req.url === '/pieces') {
        res.writeHead(200, { 'x-kind': 'pieces' });
        res.write(Buffer.from('a'));
        res.write(Buffer.from('b'));
        res.end(Buffer.from('c'));
        return;
      }
      res.writeHead(200, { 'x-url': req.url!, 'content-length': String(body.length) });
      res.end(body);
    };
    if (req.url === '/slow') setTimeout(answer, 50);
    else answer();
  });
};

describe('downstream connections', () => {
  it('keeps the connection alive across requests and answers pipelined requests in order', async () => {
    const port = await serve(echo);
    const c = await client(port);
    c.s.write('GET /one HTTP/1.1\r\nhost: h\r\n\r\n');
    await c.until((t) => t.includes('x-url: /one'));
    // The slow one first: the fast ones behind it must wait for it.
    c.s.write('GET /slow HTTP/1.1\r\nhost: h\r\n\r\nGET /two HTTP/1.1\r\nhost: h\r\n\r\nPOST /three HTTP/1.1\r\nhost: h\r\ncontent-length: 3\r\n\r\nabc');
    const t = await c.until((x) => count(x, 'HTTP/1.1 200') === 4);
    expect([...t.matchAll(/x-url: (\S+)/g)].map((m) => m[1])).toEqual(['/one', '/slow', '/two', '/three']);
    expect(t.endsWith('\r\n\r\nabc')).toBe(true);
    expect(c.closed()).toBe(false);
    c.s.destroy();
  });

  it('frames a body written in pieces as chunked (HTTP/1.1) or until close (HTTP/1.0); no body for HEAD', async () => {
    const port = await serve(echo);
    const c = await client(port);
    c.s.write('GET /pieces HTTP/1.1\r\nhost: h\r\n\r\n');
    expect(await c.until((t) => t.endsWith('0\r\n\r\n'))).toMatch(/transfer-encoding: chunked\r\n(?:.*\r\n)*\r\n1\r\na\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\n$/);
    c.s.destroy();
    const d = await client(port);
    d.s.write('GET /pieces HTTP/1.0\r\n\r\n');
    await d.until(() => d.closed());
    expect(d.text()).toMatch(/connection: close\r\n\r\nabc$/);
    const h = await client(port);
    h.s.write('HEAD /x HTTP/1.1\r\nhost: h\r\n\r\nGET /y HTTP/1.1\r\nhost: h\r\n\r\n');
    const t = await h.until((x) => x.includes('x-url: /y'));
    expect(t).toMatch(/x-url: \/x\r\ncontent-length: 0\r\n.*\r\n\r\nHTTP\/1\.1 200/s);
    h.s.destroy();
  });

  it('reads a head and body sent byte by byte (slow client)', async () => {
    const port = await serve(echo);
    const c = await client(port);
    const req = 'POST /slowly HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    for (const ch of req) {
      c.s.write(ch);
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await c.until((t) => t.endsWith('hello'))).toContain('x-url: /slowly');
    c.s.destroy();
  });

  it('streams large bodies both ways with backpressure', async () => {
    const size = 8 * 1024 * 1024;
    const port = await serve(echo);
    const c = await client(port);
    const body = Buffer.alloc(size, 'x');
    c.s.write(`PUT /big HTTP/1.1\r\nhost: h\r\ntransfer-encoding: chunked\r\n\r\n${size.toString(16)}\r\n`);
    c.s.write(body);
    c.s.write('\r\n0\r\n\r\n');
    await c.until(() => c.bytes().length >= size, 20_000);
    const t = c.text();
    const head = t.indexOf('\r\n\r\n');
    expect(t.slice(0, head)).toContain(`content-length: ${size}`);
    expect(c.bytes().length - head - 4).toBe(size);
    c.s.destroy();
  });

  it('streams a response piece by piece, pausing the request while the client does not read (drain)', async () => {
    const size = 16 * 1024 * 1024;
    let drains = 0;
    const port = await serve((req, res) => {
      res.writeHead(200, {});
      req.on('data', (c) => {
        if (!res.write(c)) {
          req.pause();
          res.once('drain', () => {
            drains++;
            req.resume();
          });
        }
      });
      req.on('end', () => res.end());
    });
    const c = await client(port);
    c.s.write(`POST /stream HTTP/1.1\r\nhost: h\r\ncontent-length: ${size}\r\n\r\n`);
    c.s.write(Buffer.alloc(size, 'z'));
    c.s.pause();
    await new Promise((r) => setTimeout(r, 300));
    c.s.resume();
    const t = await c.until((x) => x.endsWith('\r\n0\r\n\r\n'), 20_000);
    // De-chunk: the body is every byte sent, in order.
    let at = t.indexOf('\r\n\r\n') + 4;
    let body = 0;
    for (;;) {
      const eol = t.indexOf('\r\n', at);
      const n = parseInt(t.slice(at, eol), 16);
      if (n === 0) break;
      expect(t.slice(eol + 2, eol + 2 + n)).toBe('z'.repeat(n));
      body += n;
      at = eol + 2 + n + 2;
    }
    expect(body).toBe(size);
    expect(drains).toBeGreaterThan(0);
    c.s.destroy();
  });

  it('pauses the client while the handler has not read the body, and drops a body nobody reads', async () => {
    let paused = 0;
    const port = await serve((req, res) => {
      if (req.url === '/ignore') return void res.end('ignored');
      req.pause();
      paused++;
      setTimeout(() => {
        const chunks: Buffer[] = [];
        req.on('data', (x) => chunks.push(x));
        req.on('end', () => res.end(`got ${Buffer.concat(chunks).length}`));
        req.resume();
      }, 100);
    });
    const c = await client(port);
    const big = Buffer.alloc(2 * 1024 * 1024, 'y');
    c.s.write(`POST /ignore HTTP/1.1\r\nhost: h\r\ncontent-length: ${big.length}\r\n\r\n`);
    c.s.write(big);
    c.s.write(`POST /read HTTP/1.1\r\nhost: h\r\ncontent-length: ${big.length}\r\n\r\n`);
    c.s.write(big);
    const t = await c.until((x) => x.includes(`got ${big.length}`), 10_000);
    expect(t).toContain('ignored');
    expect(paused).toBe(1);
    c.s.destroy();
  });

  it('tells the handler when the client goes away mid-request (close without finish)', async () => {
    const closes: boolean[] = [];
    const port = await serve((_req, res) => {
      res.on('close', () => closes.push(res.writableFinished));
    });
    const c = await client(port);
    c.s.write('GET /never HTTP/1.1\r\nhost: h\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    c.s.destroy();
    const end = Date.now() + 2000;
    while (closes.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(closes).toEqual([false]);
  });

  it("refuses bad requests with Envoy's 400 and oversized heads with 431, then closes", async () => {
    const port = await serve(echo);
    const a = await client(port);
    a.s.write('GET / HTTP/1.1\r\nhost: h\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n');
    await a.until(() => a.closed());
    expect(a.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n.*\r\n\r\nBad Request$/s);
    const b = await client(port);
    b.s.write(`GET / HTTP/1.1\r\nhost: h\r\nx: ${'a'.repeat(70 * 1024)}\r\n\r\n`);
    await b.until(() => b.closed());
    expect(b.text()).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('hands Expect, Upgrade and CONNECT requests to node:http, after earlier requests on the connection', async () => {
    const kinds: string[] = [];
    const port = await serve((req, res) => {
      kinds.push(`${req.url} ${req instanceof IncomingMessage ? 'node' : 'fast'}`);
      echo(req, res);
    });
    const c = await client(port);
    c.s.write('GET /first HTTP/1.1\r\nhost: h\r\n\r\nPOST /expect HTTP/1.1\r\nhost: h\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\n');
    await c.until((t) => t.includes('100 Continue'));
    c.s.write('ok');
    const t = await c.until((x) => x.includes('x-url: /expect') && x.endsWith('ok'));
    expect(t.indexOf('x-url: /first')).toBeLessThan(t.indexOf('100 Continue'));
    // The connection stays with node:http.
    c.s.write('GET /after HTTP/1.1\r\nhost: h\r\n\r\n');
    await c.until((x) => x.includes('x-url: /after'));
    c.s.destroy();
    expect(kinds).toEqual(['/first fast', '/expect node', '/after node']);
  });

  it('closes a keep-alive connection idle too long, and answers 408 to a head that does not complete (one sweep per second)', async () => {
    const port = await serve(echo, { idleTimeoutMs: 1000, headersTimeoutMs: 1000 });
    const c = await client(port);
    c.s.write('GET /a HTTP/1.1\r\nhost: h\r\n\r\n');
    await c.until((t) => t.includes('x-url: /a'));
    const d = await client(port);
    d.s.write('GET /b HTTP/1.1\r\nhost');
    const started = Date.now();
    await c.until(() => c.closed(), 4000);
    await d.until(() => d.closed(), 4000);
    expect(c.closed()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(d.text()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a handler that throws costs its connection only; a body written without writeHead goes out under 200', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/throw') throw new Error('bug');
      res.write(Buffer.from('implicit'));
      res.end();
    });
    const a = await client(port);
    a.s.write('GET /throw HTTP/1.1\r\nhost: h\r\n\r\n');
    await a.until(() => a.closed());
    expect(a.closed()).toBe(true);
    const b = await client(port);
    b.s.write('GET /ok HTTP/1.1\r\nhost: h\r\n\r\n');
    expect(await b.until((t) => t.endsWith('0\r\n\r\n'))).toMatch(/^HTTP\/1\.1 200 OK\r\n.*\r\n8\r\nimplicit\r\n0\r\n\r\n$/s);
    b.s.destroy();
  });

  it('closeIdleConnections closes idle connections on both paths and leaves busy ones', async () => {
    const port = await serve((req, res) => {
      if (req.url === '/hold') setTimeout(() => res.end('held'), 300);
      else res.end('ok');
    });
    const server = servers[servers.length - 1]!;
    const fast = await client(port);
    fast.s.write('GET /a HTTP/1.1\r\nhost: h\r\n\r\n');
    await fast.until((t) => t.endsWith('ok'));
    const handed = await client(port);
    handed.s.write('POST /b HTTP/1.1\r\nhost: h\r\nexpect: 100-continue\r\ncontent-length: 0\r\n\r\n');
    await handed.until((t) => t.endsWith('ok'));
    const busy = await client(port);
    busy.s.write('GET /hold HTTP/1.1\r\nhost: h\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    server.closeIdleConnections();
    await fast.until(() => fast.closed(), 1000);
    await handed.until(() => handed.closed(), 1000);
    expect([fast.closed(), handed.closed(), busy.closed()]).toEqual([true, true, false]);
    expect(await busy.until((t) => t.endsWith('held'))).toMatch(/held$/);
  });
});
