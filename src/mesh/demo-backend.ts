/**
 * The built-in demo backend: an HTTP server on 127.0.0.1 that answers every request with 200, the
 * header `x-version: <version>` and a small JSON body `{service, version, instance, path}` after a
 * log-normal delay (given median and p99: sigma = ln(p99/median) / z(0.99), z(0.99) = 2.3263), or
 * with 500 for a share `errorRate` of requests.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoBackendSpec } from '../spec/schema.js';
import type { Workload } from './endpoint.js';

/** z-score of the 99th percentile of the standard normal distribution. */
export const Z99 = 2.3263;

/** Options for {@link startDemoBackend}. */
export interface DemoBackendOptions {
  /** What it pretends to be. */
  workload: Workload;
  /** Replica id, e.g. "reviews-v2-0" (sent as `x-instance`). */
  instance: string;
  /** Latency and error parameters (ms, fraction). */
  demo: DemoBackendSpec;
  /** Uniform random source. @default Math.random */
  random?: () => number;
  /** Host to bind. @default "127.0.0.1" */
  host?: string;
}

/** A running demo backend. */
export interface DemoBackend {
  /** Port it listens on. */
  readonly port: number;
  /** Requests received so far. */
  readonly requests: number;
  /** Stops it (open keep-alive connections are closed). */
  close(): Promise<void>;
}

/** Returns a sampler of log-normal latencies (ms) with the given median and p99; 0 when median is 0. */
export function createLatencySampler(medianMs: number, p99Ms: number, random: () => number = Math.random): () => number {
  if (!(medianMs > 0)) return () => 0;
  const mu = Math.log(medianMs);
  const sigma = p99Ms > medianMs ? Math.log(p99Ms / medianMs) / Z99 : 0;
  if (sigma === 0) return () => medianMs;
  return () => {
    // Box–Muller: one standard normal from two uniforms (1 − u keeps log away from 0).
    const u1 = 1 - random();
    const u2 = random();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.exp(mu + sigma * z);
  };
}

/** Starts one demo replica. */
export async function startDemoBackend(options: DemoBackendOptions): Promise<DemoBackend> {
  const { workload, instance, demo } = options;
  const random = options.random ?? Math.random;
  const latency = createLatencySampler(demo.latency.median, demo.latency.p99, random);
  const errorRate = demo.errorRate;
  const head = `{"service":${JSON.stringify(workload.serviceName)},"version":${JSON.stringify(workload.version)},"instance":${JSON.stringify(instance)},"path":`;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    const respond = () => {
      const fail = errorRate > 0 && random() < errorRate;
      const body = `${head}${JSON.stringify(req.url ?? '/')}}`;
      res.writeHead(fail ? 500 : 200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-version': workload.version,
        'x-instance': instance,
      });
      res.end(body);
    };
    const ms = latency();
    if (ms >= 0.5) setTimeout(respond, ms);
    else respond();
  });
  // Longer than the proxy's idle-socket timeout, so the proxy never reuses a socket we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
