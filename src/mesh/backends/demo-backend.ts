/**
 * The built-in demo backends: HTTP servers on 127.0.0.1 answering every request with 200, the
 * header `x-version: <version>` (and `x-instance: <replica>`) and a small JSON body
 * `{service, version, instance, path}` after a log-normal delay with the given median and p99, or
 * with `errorStatus` (500) for a share `errorRate` of requests; the first `failing.replicas`
 * replicas fail with their own rate and status. Or, with `tcpEcho`, a TCP server like Istio's
 * tcp-echo sample: every line received is written back as "<prefix> <line>". All replicas of one mesh run in one worker thread
 * (see demo-worker-source.ts for why).
 */
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '../../errors.js';
import type { DemoBackendSpec } from '../../experiment/schema.js';
import { DEMO_WORKER_JS, LATENCY_SAMPLER_JS } from './demo-worker-source.js';
import type { Workload } from '../endpoints/endpoint.js';

/** Returns a sampler of log-normal latencies (ms) with the given median and p99; 0 when median is 0. */
export const createLatencySampler = new Function(`${LATENCY_SAMPLER_JS}; return createLatencySampler;`)() as (
  medianMs: number,
  p99Ms: number,
  random: () => number,
) => () => number;

/** Options of one demo replica. */
export interface DemoBackendOptions {
  /** What it pretends to be. */
  workload: Workload;
  /** Replica id, e.g. "reviews-v2-0" (sent as `x-instance`). */
  instance: string;
  /** Latency (ms) and error (fraction) parameters. */
  demo: DemoBackendSpec;
  /** Index of the replica in its workload (0 first): the first `demo.failing.replicas` fail. @default 0 */
  replica?: number;
  /** Serve a TCP echo (Istio's tcp-echo sample) with this prefix instead of HTTP. @default absent */
  tcpEcho?: { prefix: string };
}

/** How one replica fails: the share of requests it answers with `status`. */
export interface ReplicaFaults {
  errorRate: number;
  status: number;
}

/** The faults of replica `replica` (0-based) of a demo backend: a failing one's, or the backend's. */
export function replicaFaults(demo: DemoBackendSpec, replica: number): ReplicaFaults {
  const f = demo.failing;
  if (f && replica < f.replicas) return { errorRate: f.errorRate, status: f.errorStatus };
  return { errorRate: demo.errorRate, status: demo.errorStatus ?? 500 };
}

/** A running demo replica. */
export interface DemoBackend {
  /** Port it listens on (127.0.0.1). */
  readonly port: number;
  /** Stops it. */
  close(): Promise<void>;
}

/** The worker hosting a mesh's demo replicas. */
export interface DemoHost {
  /** Starts one replica. */
  start(options: DemoBackendOptions): Promise<DemoBackend>;
  /** Stops every replica and the worker. */
  close(): Promise<void>;
}

type Reply = { key: number; port?: number; error?: string; stopped?: boolean };

/** Creates the host; the worker thread starts with the first replica. */
export function createDemoHost(): DemoHost {
  let worker: Worker | undefined;
  let nextKey = 1;
  const waiting = new Map<number, (r: Reply) => void>();
  let failure: Error | undefined;

  let closed = false;
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(DEMO_WORKER_JS, { eval: true });
    w.on('message', (r: Reply) => {
      waiting.get(r.key)?.(r);
      waiting.delete(r.key);
      // Idle, the worker must not keep a finished CLI alive on its own; waiting for a reply, it must.
      if (waiting.size === 0) w.unref();
    });
    w.on('error', (err) => {
      failure = err;
      for (const resolve of waiting.values()) resolve({ key: 0, error: err.message });
      waiting.clear();
    });
    worker = w;
    return w;
  };
  const call = (msg: Record<string, unknown>): Promise<Reply> =>
    new Promise((resolve) => {
      if (failure) return resolve({ key: 0, error: failure.message });
      if (closed) return resolve({ key: 0, stopped: true });
      const key = nextKey++;
      waiting.set(key, resolve);
      const w = ensure();
      w.ref();
      w.postMessage({ ...msg, key });
    });

  return {
    async start({ workload, instance, demo, replica = 0, tcpEcho }) {
      const faults = replicaFaults(demo, replica);
      const r = await call({
        op: 'start',
        ...(tcpEcho ? { tcpEcho: tcpEcho.prefix } : {}),
        service: workload.serviceName,
        version: workload.version,
        instance,
        median: demo.latency.median,
        p99: demo.latency.p99,
        errorRate: faults.errorRate,
        errorStatus: faults.status,
      });
      if (r.port === undefined) throw new RuntimeError(`demo backend ${instance} could not start: ${r.error ?? 'no port'}`);
      const key = r.key;
      return { port: r.port, close: async () => void (await call({ op: 'stop', target: key })) };
    },
    async close() {
      // Terminating the worker stops every replica at once; later replica closes are no-ops.
      closed = true;
      const w = worker;
      worker = undefined;
      for (const resolve of waiting.values()) resolve({ key: 0, stopped: true });
      waiting.clear();
      if (w) await w.terminate();
    },
  };
}
