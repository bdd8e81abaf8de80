/**
 * Starts every workload's replicas (demo servers or commands) in parallel and turns them into
 * endpoints. If any fails, the ones already started are stopped before the error is rethrown.
 */
import type { Logger } from '../context.js';
import { startCommandBackend } from './command-backend.js';
import { createDemoHost, type DemoHost } from './demo-backend.js';
import type { Endpoint } from './endpoint.js';
import type { ServicePlan, WorkloadPlan } from './workload-plan.js';

/** Options for {@link startBackends}. */
export interface StartBackendsOptions {
  /** Working directory of commands. */
  cwd: string;
  /** Environment of commands; undefined inherits the mesh's. */
  env?: Record<string, string | undefined>;
  /** Output and exits of commands. */
  logger?: Logger;
  /** How long a command may take to answer its ready path, ms. @default 30000 */
  readyTimeoutMs?: number;
}

/** The started backends. */
export interface Backends {
  /** Endpoints of a workload. */
  endpointsOf(w: WorkloadPlan): Endpoint[];
  /** Stops everything. */
  close(): Promise<void>;
}

/** Starts all replicas of all workloads of `plans`. */
export async function startBackends(plans: ReadonlyMap<string, ServicePlan>, o: StartBackendsOptions): Promise<Backends> {
  const endpoints = new Map<WorkloadPlan, Endpoint[]>();
  const closers: Array<() => Promise<void>> = [];
  const demo = createDemoHost();
  const jobs: Array<Promise<void>> = [];
  for (const svc of plans.values()) {
    for (const w of svc.workloads.values()) {
      const list: Endpoint[] = [];
      endpoints.set(w, list);
      for (let i = 0; i < w.replicas; i++) {
        const id = `${w.workload.name}-${i}`;
        jobs.push(startOne(w, id, o, demo).then((b) => {
          closers.push(b.close);
          list[i] = { id, host: '127.0.0.1', port: b.port, workload: w.workload, active: 0 };
        }));
      }
    }
  }
  const closeAll = async () => {
    // The demo worker first: it takes every demo replica with it (their own closes become no-ops).
    await demo.close();
    await Promise.allSettled(closers.map((c) => c()));
  };
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  return { endpointsOf: (w) => endpoints.get(w) ?? [], close: closeAll };
}

function startOne(w: WorkloadPlan, id: string, o: StartBackendsOptions, demo: DemoHost): Promise<{ port: number; close: () => Promise<void> }> {
  if (w.command) {
    return startCommandBackend({
      argv: w.command,
      cwd: o.cwd,
      ...(o.env ? { env: o.env } : {}),
      readyPath: w.readyPath,
      label: id,
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    });
  }
  return demo.start({ workload: w.workload, instance: id, demo: w.demo });
}
