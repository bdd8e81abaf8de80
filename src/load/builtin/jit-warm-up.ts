/**
 * Warms the built-in generator's request path before its first arrival at a high rate.
 *
 * Why: the generator measures latency from the INTENDED send, so its own slowness shows up as the
 * target's latency. Node's JIT runs undici's and mesh-exp's request code in the interpreter until
 * it has run a few thousand times: measured on one core at 8,000 req/s, the first ~400 ms of a
 * cold run fell ~100 ms behind (every request of them reported ~100 ms slower than the target was)
 * and in-flight requests piled up to `maxInFlight`. After 2,000 requests through the same code
 * against a loopback server, the first arrivals ran < 20 ms behind.
 *
 * The warm-up talks only to a server of its own on 127.0.0.1 (the target never sees it), runs once
 * per process (the JIT keeps its work), and only for rates where the cold path matters.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConnectionPool } from './connection-pool.js';
import { sendRequest } from './send-request.js';

/** Options of {@link warmUpRequestPath}. */
export interface WarmUpOptions {
  /** The run's highest arrival rate, req/s: below `minRate` nothing is done. */
  peakRate: number;
  /** Stops the warm-up early (the run is aborted). */
  signal: AbortSignal;
  /**
   * Rates from which the warm-up runs. Below, the cold path (~0.1 ms per request) costs a few
   * percent of a core and falls behind by nothing measurable.
   * @default 1000
   */
  minRate?: number;
  /** Requests sent through the warm-up. @default 2000 */
  requests?: number;
}

// Once per process: what the JIT compiled stays compiled.
let warmed: Promise<number> | undefined;

/**
 * Runs the warm-up once per process (later calls wait for the first); never fails the run.
 * Resolves to the warm-up requests answered in this process (0 when none ran).
 */
export function warmUpRequestPath(o: WarmUpOptions): Promise<number> {
  if (o.peakRate < (o.minRate ?? 1000) || o.signal.aborted) return warmed ?? Promise.resolve(0);
  const { signal } = o;
  warmed ??= runWarmUp(o.requests ?? 2000, signal).then(
    (answered) => {
      // Cut short by an abort: the next run warms up again.
      if (signal.aborted) warmed = undefined;
      return answered;
    },
    () => {
      // A warm-up that could not run (no loopback?) only leaves the generator cold; try again next run.
      warmed = undefined;
      return 0;
    },
  );
  return warmed;
}

async function runWarmUp(requests: number, signal: AbortSignal): Promise<number> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'x-version': 'warm-up', 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const concurrency = 32;
  const pool = createConnectionPool({ origin, connectTimeoutMs: 1000, maxConnections: concurrency });
  const request = { path: '/', method: 'GET', headers: { 'user-agent': 'mesh-exp warm-up' } };
  let answered = 0;
  const one = () =>
    new Promise<void>((resolve) =>
      sendRequest({ dispatcher: pool, request, timeoutMs: 1000, versionHeader: 'x-version', onEnd: (o) => resolve(void (answered += o.status === 200 ? 1 : 0)) }),
    );
  try {
    for (let sent = 0; sent < requests && !signal.aborted; sent += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, requests - sent) }, one));
    }
    return answered;
  } finally {
    await pool.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
