import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterConnections } from '../endpoints/cluster-connections.js';
import type { Endpoint, Workload } from '../endpoints/endpoint.js';
import type { RequestBody } from './request-body.js';
import { createUpstreamClient, type TryOwner, type UpstreamClient, type UpstreamTry } from './upstream.js';

const workload = { name: 'w' } as Workload;
const noBody: RequestBody = { hasBody: false, replayable: true, sendTo: (d) => void d.end(), detach: () => {} };
const bodyOf = (text: string): RequestBody => ({ hasBody: true, replayable: true, sendTo: (d) => { d.write(Buffer.from(text)); d.end(); }, detach: () => {} });

interface Outcome {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: string;
  done?: boolean;
  failure?: string;
}

/** Runs one try and resolves with what the owner saw. */
function run(client: UpstreamClient, ep: Endpoint, o: { cluster?: ClusterConnections; method?: string; path?: string; headers?: Record<string, string>; body?: RequestBody; stream?: boolean; perConnection?: number; idleMs?: number } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { body: '' };
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => void (out.body += c.toString()));
    const owner: TryOwner = {
      onTryStart: (t) => {
        t.maxRequestsPerConnection = o.perConnection ?? 0;
        t.idleTimeoutMs = o.idleMs ?? 0;
      },
      onTryResponse(_t, status, headers) {
        out.status = status;
        out.headers = headers;
        return o.stream === false ? undefined : (sink as Writable);
      },
      onTryDone(_t, complete) {
        out.done = complete;
        setImmediate(() => resolve(out));
      },
      onTryFailure(_t, kind) {
        out.failure = kind;
        resolve(out);
      },
    };
    client.send(ep, o.cluster ?? defaultCluster, o.method ?? 'GET', o.path ?? '/', { host: 'svc', ...(o.headers ?? {}) }, o.body ?? noBody, true, owner);
  });
}

/** The cluster of tries that do not name one. */
const defaultCluster = new ClusterConnections();

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<Endpoint> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  const port = (server.address() as { port: number }).port;
  return { id: 'e', host: '127.0.0.1', port, workload, active: 0 };
}

/** A server answering "ok", a client and a fresh cluster. */
async function okSetup() {
  const ep = await listen(createHttpServer((_req, res) => res.end('ok')));
  return { ep, c: client(), cluster: new ClusterConnections() };
}

function client(): UpstreamClient {
  const c = createUpstreamClient();
  cleanups.unshift(() => c.close());
  return c;
}

describe('upstream client', () => {
  it('reuses keep-alive connections and forwards method, path, headers and bodies', async () => {
    const sockets = new Set<Socket>();
    const seen: string[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} host=${req.headers.host} te=${req.headers['transfer-encoding'] ?? '-'} body=${body}`);
        res.end(`you said ${body || 'nothing'}`);
      });
    });
    server.on('connection', (s) => sockets.add(s));
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const c = client();
    expect(await run(c, ep, { path: '/a?x=1' })).toMatchObject({ status: 200, body: 'you said nothing', done: true });
    expect(await run(c, ep, { method: 'POST', body: bodyOf('hi'), headers: { 'content-length': '2' } })).toMatchObject({ body: 'you said hi' });
    expect(await run(c, ep, { method: 'PUT', body: bodyOf('streamed') })).toMatchObject({ body: 'you said streamed' });
    expect(seen).toEqual(['GET /a?x=1 host=svc te=- body=', 'POST / host=svc te=- body=hi', 'PUT / host=svc te=chunked body=streamed']);
    expect(sockets.size).toBe(1);
    expect(ep.active).toBe(0);
  });

  it('closes a connection once it carried a try\'s maxRequestsPerConnection requests', async () => {
    const sockets = new Set<Socket>();
    const server = createHttpServer((_req, res) => res.end('ok'));
    server.on('connection', (s) => sockets.add(s));
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const c = client();
    for (let i = 0; i < 3; i++) expect(await run(c, ep, { perConnection: 1 })).toMatchObject({ status: 200, done: true });
    expect(sockets.size).toBe(3);
    for (let i = 0; i < 4; i++) await run(c, ep, { perConnection: 2 });
    expect(sockets.size).toBe(5);
    for (let i = 0; i < 3; i++) await run(c, ep);
    expect(sockets.size).toBe(6);
  });

  it("closes an idle connection after a try's idleTimeout (checked by the 1 s sweep)", async () => {
    const closed: number[] = [];
    const server = createHttpServer((_req, res) => res.end('ok'));
    server.on('connection', (s) => s.on('close', () => closed.push(performance.now())));
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const c = client();
    const t0 = performance.now();
    await run(c, ep, { idleMs: 200 });
    await new Promise((r) => setTimeout(r, 1500));
    // Closed by the client within a sweep after 200 ms idle, long before the 30 s default.
    expect(closed).toHaveLength(1);
    expect(closed[0]! - t0).toBeGreaterThanOrEqual(200);
  });

  it('streams chunked responses decoded; draining keeps the connection', async () => {
    const server = createHttpServer((_req, res) => {
      res.write('part1 ');
      setTimeout(() => res.end('part2'), 5);
    });
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const c = client();
    expect(await run(c, ep)).toMatchObject({ status: 200, body: 'part1 part2', done: true });
    expect(await run(c, ep, { stream: false })).toMatchObject({ status: 200, body: '', done: true });
  });

  it('forwards a body piece as soon as its read is parsed, not only at the end of the response', async () => {
    // The server only ends once the sink has seen the first piece: a piece held back until the end deadlocks.
    let sawFirst: () => void = () => {};
    const first = new Promise<void>((r) => (sawFirst = r));
    const server = createHttpServer((_req, res) => {
      res.write('part1 ');
      void first.then(() => res.end('part2'));
    });
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const sink = new PassThrough();
    let body = '';
    sink.on('data', (c: Buffer) => {
      body += c.toString();
      if (body.includes('part1')) sawFirst();
    });
    const done = new Promise<boolean>((resolve) => {
      const owner: TryOwner = {
        onTryStart: () => {},
        onTryResponse: () => sink,
        onTryDone: (_t, complete) => resolve(complete),
        onTryFailure: () => resolve(false),
      };
      client().send(ep, new ClusterConnections(), 'GET', '/', { host: 'svc' }, noBody, true, owner);
    });
    expect(await done).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(body).toBe('part1 part2');
  });

  it('ends the sink with the body when the whole response arrives in one read (one write downstream)', async () => {
    const ep = await listen(createNetServer((s) => s.on('data', () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello'))));
    const writes: string[] = [];
    const ends: string[] = [];
    const sink = new PassThrough();
    const write = sink.write.bind(sink) as (c: Buffer) => boolean;
    const end = sink.end.bind(sink) as (c?: Buffer) => PassThrough;
    sink.write = ((c: Buffer) => (writes.push(c.toString()), write(c))) as typeof sink.write;
    sink.end = ((c?: Buffer) => (ends.push(c === undefined ? '' : c.toString()), end(c))) as typeof sink.end;
    const done = new Promise<boolean>((resolve) => {
      const owner: TryOwner = { onTryStart: () => {}, onTryResponse: () => sink, onTryDone: (_t, complete) => resolve(complete), onTryFailure: () => resolve(false) };
      client().send(ep, new ClusterConnections(), 'GET', '/', { host: 'svc' }, noBody, true, owner);
    });
    expect(await done).toBe(true);
    expect({ writes, ends }).toEqual({ writes: [], ends: ['hello'] });
  });

  it('streams a large body intact into a slow sink (reads share one buffer; backpressure pauses the socket)', async () => {
    const big = randomBytes(4 * 1024 * 1024);
    const server = createHttpServer((req, res) => {
      // Both framings: content-length, and chunked in uneven pieces.
      if (req.url === '/fixed') return void res.end(big);
      for (let at = 0; at < big.length; at += 300_001) res.write(big.subarray(at, at + 300_001));
      res.end();
    });
    const ep = await listen(server);
    cleanups.unshift(() => server.closeAllConnections());
    const c = client();
    for (const path of ['/fixed', '/chunked']) {
      const got: Buffer[] = [];
      // A sink that takes a while per piece and holds little: the socket must pause and resume.
      const sink = new Writable({ highWaterMark: 16 * 1024, write: (chunk: Buffer, _e, cb) => void (got.push(chunk), setTimeout(cb, 0)) });
      const done = new Promise<boolean>((resolve) => {
        const owner: TryOwner = { onTryStart: () => {}, onTryResponse: () => sink, onTryDone: (_t, complete) => resolve(complete), onTryFailure: () => resolve(false) };
        c.send(ep, defaultCluster, 'GET', path, { host: 'svc' }, noBody, true, owner);
      });
      expect(await done).toBe(true);
      await new Promise((r) => sink.on('finish', r));
      expect(Buffer.concat(got).equals(big)).toBe(true);
    }
  }, 20_000);

  it('classifies a refused connection as connect-failure and a hang-up as reset', async () => {
    const c = client();
    const probe = createNetServer();
    const closedEp = await listen(probe);
    await new Promise((r) => probe.close(r));
    cleanups.pop();
    expect((await run(c, closedEp)).failure).toBe('connect-failure');
    const rude = createNetServer((s) => s.on('data', () => s.destroy()));
    const ep = await listen(rude);
    expect((await run(c, ep)).failure).toBe('reset');
    expect(ep.active).toBe(0);
  });

  it('re-sends once on a new connection when the server closed an idle one', async () => {
    let connections = 0;
    // Answers the first request of a connection (keep-alive), then hangs up on the next one
    // without answering: what a server closing an idle connection looks like to the client.
    const server = createNetServer((s) => {
      connections++;
      let requests = 0;
      s.on('data', () => {
        if (++requests === 1) s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else s.destroy();
      });
    });
    const ep = await listen(server);
    const c = client();
    expect((await run(c, ep)).body).toBe('ok');
    const second = await run(c, ep);
    expect([second.body, second.failure]).toEqual(['ok', undefined]);
    expect(connections).toBe(2);
  });

  it('an aborted try tells its owner nothing more and frees the endpoint', async () => {
    const server = createNetServer(() => {});
    const ep = await listen(server);
    const c = client();
    let heard = false;
    const owner: TryOwner = { onTryStart: () => {}, onTryResponse: () => ((heard = true), undefined), onTryDone: () => void (heard = true), onTryFailure: () => void (heard = true) };
    const t: UpstreamTry = c.send(ep, defaultCluster, 'GET', '/', { host: 'x' }, noBody, true, owner);
    expect(ep.active).toBe(1);
    t.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect([heard, ep.active]).toEqual([false, 0]);
  });

  it('pools connections per cluster: two clusters over one endpoint never share one, and each counts its own', async () => {
    const sockets = new Set<Socket>();
    const server = createHttpServer((_req, res) => res.end('ok'));
    server.on('connection', (s: Socket) => sockets.add(s));
    const ep = await listen(server);
    const c = client();
    const a = new ClusterConnections();
    const b = new ClusterConnections();
    for (let i = 0; i < 3; i++) expect((await run(c, ep, { cluster: a })).body).toBe('ok');
    // a's one keep-alive connection carried all three; b gets its own.
    expect([a.active, a.total, b.total]).toEqual([1, 1, 0]);
    expect((await run(c, ep, { cluster: b })).body).toBe('ok');
    expect([a.active, a.total, b.active, b.total, sockets.size]).toEqual([1, 1, 1, 1, 2]);
  });

  it('counts a connection as active until it closes (maxRequestsPerConnection 1 closes it after the try)', async () => {
    const { ep, c, cluster } = await okSetup();
    await run(c, ep, { cluster, perConnection: 1 });
    await run(c, ep, { cluster, perConnection: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect([cluster.active, cluster.total]).toEqual([0, 2]);
  });

  it('counts a connection that never connected as opened, then gone', async () => {
    const server = createNetServer();
    const ep = await listen(server);
    await new Promise<void>((r) => server.close(() => r()));
    const cluster = new ClusterConnections();
    expect((await run(client(), ep, { cluster })).failure).toBe('connect-failure');
    await new Promise((r) => setTimeout(r, 20));
    expect([cluster.active, cluster.total]).toEqual([0, 1]);
  });

  it('a try started when another ends (the next queued request) reuses its connection', async () => {
    const { ep, c, cluster } = await okSetup();
    const second = await new Promise<Outcome>((resolve) => {
      const first: TryOwner = {
        onTryStart: () => {},
        onTryResponse: () => undefined,
        onTryDone: () => void run(c, ep, { cluster }).then(resolve),
        onTryFailure: () => {},
      };
      c.send(ep, cluster, 'GET', '/', { host: 'x' }, noBody, true, first);
    });
    expect(second.body).toBe('ok');
    expect([cluster.active, cluster.total]).toEqual([1, 1]);
  });

  it('does not reuse an idle connection that already carried maxRequestsPerConnection requests', async () => {
    const { ep, c, cluster } = await okSetup();
    await run(c, ep, { cluster });
    await run(c, ep, { cluster });
    expect(cluster.total).toBe(1);
    // The connection carried two; under a limit of 2 it is closed, not reused.
    expect((await run(c, ep, { cluster, perConnection: 2 })).body).toBe('ok');
    expect(cluster.total).toBe(2);
  });
});
