/** A real HTTP server on 127.0.0.1:0 for the load-generator tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { LoadPlan } from '../../src/load/types.js';

/** A listening test server. */
export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Requests received so far. */
  received: () => number;
  /** Stops listening and ends every connection. */
  close(): Promise<void>;
}

/** Starts a server whose `handler` answers each request; `index` counts requests from 0. */
export async function startTestServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void,
): Promise<TestServer> {
  let count = 0;
  const server = http.createServer((req, res) => handler(req, res, count++));
  // Keep connections open longer than any test, so keep-alive reuse is what is exercised.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `x-version` alternating v1, v2, v1, ... by arrival order. */
export function alternatingVersions(_req: http.IncomingMessage, res: http.ServerResponse, index: number): void {
  res.setHeader('x-version', index % 2 === 0 ? 'v1' : 'v2');
  res.end('ok');
}

/** A handler of {@link startTestServer}. */
export type TestHandler = (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void;

/** What {@link useTestServer} gives a test file. */
export interface TestServerFixture {
  /** Starts this test's server (closed after the test). */
  start(handler: TestHandler): Promise<TestServer>;
  /** Runs `fn` after `ms` (the timer is cleared after the test). */
  later(ms: number, fn: () => void): void;
  /** A slow backend: answers like {@link alternatingVersions} after `ms` (its timer cleared after the test). */
  holdFor(ms: number): TestHandler;
}

/**
 * The per-test server of a load test file: call it at the file's top level; after each test the
 * server is closed and the timers of slow answers are cleared.
 */
export function useTestServer(): TestServerFixture {
  const servers: TestServer[] = [];
  const timers: NodeJS.Timeout[] = [];
  afterEach(async () => {
    for (const t of timers.splice(0)) clearTimeout(t);
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const later = (ms: number, fn: () => void): void => void timers.push(setTimeout(fn, ms));
  return {
    start: async (handler) => {
      const server = await startTestServer(handler);
      servers.push(server);
      return server;
    },
    later,
    holdFor: (ms) => (req, res, index) => later(ms, () => alternatingVersions(req, res, index)),
  };
}

export { freePort } from './free-port.js';

/** A load plan for the generator tests: 100 req/s for 1 s of GET, 5 s timeout, version in x-version; `over` changes any of it. */
export function testLoadPlan(url: string, over: Partial<LoadPlan> = {}): LoadPlan {
  return { url, method: 'GET', headers: {}, rate: 100, durationMs: 1000, timeoutMs: 5000, maxInFlight: 1000, versionHeader: 'x-version', ...over };
}
