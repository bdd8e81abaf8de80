import type { IncomingMessage, ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestServer, type TestServer } from '../../../test/support/load-test-server.js';
import { useChildServer } from '../../../test/support/child-server.js';
import { freePort } from '../../../test/support/free-port.js';
import { createConnectionPool, type ConnectionPool } from './connection-pool.js';

const fixture = useTestServer();
const childServer = useChildServer();
let pool: ConnectionPool | undefined;
afterEach(async () => {
  await pool?.destroy();
  pool = undefined;
});

/** A server that also counts connections and the most requests it held at once. */
async function countingServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer & { connections: () => number; mostAtOnce: () => number }> {
  let atOnce = 0;
  let most = 0;
  const ports = new Set<number>();
  const server = await fixture.start((req, res) => {
    ports.add(req.socket.remotePort!);
    most = Math.max(most, ++atOnce);
    res.on('finish', () => atOnce--);
    answer(req, res);
  });
  return { ...server, connections: () => ports.size, mostAtOnce: () => most };
}

type Ended = { status: number } | { error: Error };

/** Sends one GET through the pool; resolves when it ends. */
function get(p: ConnectionPool, path = '/'): { ended: Promise<Ended>; withdraw(): void } {
  let withdraw = () => {};
  const ended = new Promise<Ended>((resolve) => {
    let status = 0;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => {},
      onResponseStart: (_c, code) => void (status = code),
      onResponseEnd: () => resolve({ status }),
      onResponseError: (_c, error) => resolve({ error }),
    };
    withdraw = p.dispatch({ path, method: 'GET' }, handler).withdraw;
  });
  return { ended, withdraw };
}

const open = (server: TestServer, o: Partial<Parameters<typeof createConnectionPool>[0]> = {}) =>
  (pool = createConnectionPool({ origin: new URL(server.url), connectTimeoutMs: 2000, maxConnections: 1000, ...o }));

describe('connection pool', () => {
  it('sends one request after another on one kept-alive connection', async () => {
    const server = await countingServer((_q, res) => res.end('ok'));
    const p = open(server);
    for (let i = 0; i < 5; i++) expect(await get(p).ended).toEqual({ status: 200 });
    expect(server.connections()).toBe(1);
  });

  it('serves a burst from a fast target with far fewer connections than undici\'s Pool: a waiting request takes the first that frees up', async () => {
    // Targets in their own processes, so their answers do not wait for this event loop.
    const [forPool, forOurs] = await Promise.all([childServer.start(), childServer.start()]);
    const burst = 400;
    // undici's Pool binds a request to the connection it opens for it: one per request of the burst.
    const undiciPool = new Pool(forPool.url, { connections: 1000 });
    await Promise.all(Array.from({ length: burst }, () => undiciPool.request({ path: '/', method: 'GET' }).then((r) => r.body.dump())));
    await undiciPool.destroy();
    // dialAfterMs far above the time the target takes for the whole burst (~12 ms), so every answer
    // counts as prompt: only the cold start's dials are made.
    const p = (pool = createConnectionPool({ origin: new URL(forOurs.url), connectTimeoutMs: 2000, maxConnections: 1000, maxPendingDials: 8, dialAfterMs: 500 }));
    const results = await Promise.all(Array.from({ length: burst }, () => get(p).ended));
    expect(results.every((r) => 'status' in r && r.status === 200)).toBe(true);
    const [theirs, ours] = [await forPool.stats(), await forOurs.stats()];
    expect(ours.requests).toBe(burst);
    // (connections - 1: the stats request's own.)
    expect(theirs.connections - 1).toBe(burst);
    expect(ours.connections - 1).toBe(8);
    expect(p.peak()).toBe(ours.connections - 1);
  });

  it('gives a slow target every request at once (open model): a connection busy on the target earns a new one', async () => {
    const server = await countingServer((_q, res) => fixture.later(1000, () => res.end('ok')));
    const p = open(server, { maxPendingDials: 4 });
    const results = await Promise.all(Array.from({ length: 40 }, () => get(p).ended));
    expect(results.every((r) => 'status' in r && r.status === 200)).toBe(true);
    expect(server.mostAtOnce()).toBe(40);
    expect(server.connections()).toBe(40);
  });

  it('never opens more than maxConnections; the rest wait their turn', async () => {
    const server = await countingServer((_q, res) => fixture.later(50, () => res.end('ok')));
    const p = open(server, { maxConnections: 3 });
    const results = await Promise.all(Array.from({ length: 9 }, () => get(p).ended));
    expect(results).toHaveLength(9);
    expect(server.mostAtOnce()).toBe(3);
    expect(server.connections()).toBe(3);
  });

  it('a withdrawn request never reaches the target', async () => {
    const server = await countingServer((_q, res) => fixture.later(200, () => res.end('ok')));
    const p = open(server, { maxConnections: 1 });
    const first = get(p, '/first');
    const second = get(p, '/second');
    second.withdraw();
    expect(await first.ended).toEqual({ status: 200 });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received()).toBe(1);
  });

  it('fails every waiting request with the connect error when the target refuses connections', async () => {
    const port = await freePort();
    pool = createConnectionPool({ origin: new URL(`http://127.0.0.1:${port}/`), connectTimeoutMs: 1000, maxConnections: 100, maxPendingDials: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => get(pool!).ended));
    for (const r of results) expect('error' in r && (r.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('dials anew after the target closed a connection, and forgets the closed one', async () => {
    const server = await countingServer((_q, res) => {
      res.setHeader('connection', 'close');
      res.end('ok');
    });
    const p = open(server);
    expect(await get(p).ended).toEqual({ status: 200 });
    await new Promise((r) => setTimeout(r, 50));
    expect(p.open()).toBe(0);
    expect(await get(p).ended).toEqual({ status: 200 });
    expect(server.connections()).toBe(2);
  });

  it('destroy ends waiting requests with an error and closes every connection', async () => {
    const server = await countingServer((_q, res) => fixture.later(5000, () => res.end('ok')));
    const p = open(server, { maxConnections: 1 });
    const running = get(p);
    const waiting = get(p);
    await new Promise((r) => setTimeout(r, 50));
    await p.destroy();
    expect(await waiting.ended).toMatchObject({ error: expect.any(Error) });
    expect(await running.ended).toMatchObject({ error: expect.any(Error) });
    expect(p.open()).toBe(0);
  });
});
