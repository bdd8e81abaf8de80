/**
 * Odd requests on raw connections through the real mesh (the raw-socket front end, and its
 * hand-off to node:http): pipelining, HTTP/1.0, duplicate headers, chunked uploads, Expect:
 * 100-continue, refusals. The echo backend reports what it received.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { echo, fixture, manifests, reviewsV1, useMesh } from '../../support/mesh.js';

const local = useMesh(() => ({ ...manifests(fixture('headers-rewrites.yaml')), destinationRules: [reviewsV1], backends: [echo('reviews', 'v1')] }));

/** Writes `parts` on one connection (a function part waits for what was received so far) and returns everything received once `done` holds. */
async function exchange(parts: Array<string | ((got: string) => boolean)>, done: (got: string, closed: boolean) => boolean): Promise<{ got: string; closed: boolean }> {
  const { hostname, port } = new URL(local.mesh.url);
  const s = connect(Number(port), hostname);
  let got = '';
  let closed = false;
  s.on('data', (d: Buffer) => (got += d.toString('latin1')));
  s.on('close', () => (closed = true));
  await new Promise<void>((r) => s.once('connect', () => r()));
  const wait = async (ok: () => boolean) => {
    const end = Date.now() + 5000;
    while (!ok() && !closed && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  };
  for (const p of parts) {
    if (typeof p === 'string') s.write(p);
    else await wait(() => p(got));
  }
  await wait(() => done(got, closed));
  s.destroy();
  return { got, closed };
}

/** The JSON bodies the echo backend returned, in order (bodies are content-length framed). */
function echoed(raw: string): Array<{ url: string; method: string; headers: Record<string, string>; body: string }> {
  const out = [];
  let at = 0;
  for (;;) {
    const head = raw.indexOf('\r\n\r\n', at);
    if (head < 0) break;
    const m = /content-length: (\d+)/i.exec(raw.slice(at, head));
    const n = m ? Number(m[1]) : 0;
    const body = raw.slice(head + 4, head + 4 + n);
    if (body.startsWith('{')) out.push(JSON.parse(body));
    at = head + 4 + n;
  }
  return out;
}

describe('raw-socket front end through the mesh', () => {
  it('answers pipelined requests in order on one connection, routing each', async () => {
    const req = (path: string) => `GET ${path} HTTP/1.1\r\nhost: reviews\r\nx-echo-delay: ${path === '/a' ? 100 : 0}\r\n\r\n`;
    const { got, closed } = await exchange([req('/a') + req('/teapot') + req('/b')], (g) => echoed(g).length === 2 && g.includes("I'm a teapot"));
    expect(echoed(got).map((e) => e.url)).toEqual(['/a', '/b']);
    expect(got.indexOf('"url":"/a"')).toBeLessThan(got.indexOf('418'));
    expect(got.indexOf('418')).toBeLessThan(got.indexOf('"url":"/b"'));
    expect(closed).toBe(false);
  });

  it('serves HTTP/1.0 and closes after it; keeps the first Host and joins other duplicates as Node does', async () => {
    const one = await exchange(['GET /h10 HTTP/1.0\r\nhost: reviews\r\n\r\n'], (_g, c) => c);
    expect(one.got).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(echoed(one.got)[0]!.url).toBe('/h10');
    const dup = await exchange(['GET /dup HTTP/1.1\r\nhost: reviews\r\nhost: ratings\r\nx-tag: a\r\nx-tag: b\r\n\r\n'], (g) => echoed(g).length === 1);
    expect(echoed(dup.got)[0]!.headers['x-tag']).toBe('a, b, route');
    expect(echoed(dup.got)[0]!.headers.host).toBe('reviews');
  });

  it('forwards a chunked upload, and a 100-continue upload through the node:http hand-off', async () => {
    const chunked = await exchange(['POST /up HTTP/1.1\r\nhost: reviews\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'], (g) => echoed(g).length === 1);
    expect(echoed(chunked.got)[0]).toMatchObject({ method: 'POST', url: '/up', body: 'hello world' });
    const cont = await exchange(['POST /cont HTTP/1.1\r\nhost: reviews\r\nexpect: 100-continue\r\ncontent-length: 4\r\n\r\n', (g) => g.includes('100 Continue'), 'data'], (g) => echoed(g).length === 1);
    expect(cont.got).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    expect(echoed(cont.got)[0]).toMatchObject({ url: '/cont', body: 'data' });
  });

  it("refuses a malformed request with Envoy's 400 and closes", async () => {
    const bad = await exchange(['GET / HTTP/1.1\r\nhost: reviews\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n'], (_g, c) => c);
    expect(bad.got).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\nBad Request$/);
    expect(bad.closed).toBe(true);
  });
});
