/**
 * The running backends of a mesh, as a pool that follows the workload plan: `sync(plans)` starts
 * the replicas of workloads that are new (in parallel), keeps the ones already running unchanged
 * and hands back the ones no longer planned, to be stopped by the caller once no request can reach
 * them any more. If a new replica fails to start, the ones this sync started are stopped and the
 * error is rethrown; the pool is then as it was. A sync can also be reverted (`revert`) when the
 * change it served fails later (a listener that cannot be opened).
 */
import type { Logger } from '../../context.js';
import { startCommandBackend } from './command-backend.js';
import type { ChildObserver } from './process-group.js';
import { createDemoHost, type DemoHost } from './demo-backend.js';
import type { Endpoint } from '../endpoints/endpoint.js';
import type { ServicePlan, WorkloadPlan } from '../config/workload-plan.js';

/** Options for {@link createBackendPool}. */
export interface StartBackendsOptions {
  /** Working directory of commands. */
  cwd: string;
  /** Environment of commands; undefined inherits the mesh's. */
  env?: Record<string, string | undefined>;
  /** Output and exits of commands. */
  logger?: Logger;
  /** How long a command may take to answer its ready path, ms. @default 30000 */
  readyTimeoutMs?: number;
  /** Told about each command process started and reaped. @default none */
  children?: ChildObserver;
}

/** The backends serving one plan. */
export interface BackendSet {
  /** Endpoints of a workload of the plan given to `sync` (none for an unknown one). */
  endpointsOf(w: WorkloadPlan): Endpoint[];
  /** Stops the workloads the plan dropped (call once requests routed to them are done). */
  retire(): Promise<void>;
  /**
   * Undoes this sync, when the change it served is refused after all (before any later sync):
   * stops the workloads it started and keeps the ones it dropped running. (Additive.)
   */
  revert(): Promise<void>;
  /** Workloads this sync started. */
  readonly started: number;
  /** Workloads dropped by this sync (stopped by `retire`). */
  readonly dropped: number;
}

/** A pool of running backends. */
export interface BackendPool {
  /** Makes the running workloads those of `plans`. */
  sync(plans: ReadonlyMap<string, ServicePlan>): Promise<BackendSet>;
  /** Stops everything. */
  close(): Promise<void>;
}

/** What differs between the running workloads and a plan. */
export interface WorkloadDiff {
  /** Planned workloads not running yet. */
  start: WorkloadPlan[];
  /** Keys of running workloads the plan keeps. */
  keep: string[];
  /** Keys of running workloads the plan no longer has. */
  stop: string[];
}

/**
 * Identity of a running workload: everything that shapes its replicas (service, subset, labels —
 * the demo answers with `x-version` from them —, replica count, demo parameters, command). The
 * load-balancing policy is not part of it: it lives in the cluster, which a new plan rebuilds.
 */
export function workloadKey(w: WorkloadPlan): string {
  const { workload: id } = w;
  return JSON.stringify([id.service, id.subset ?? '', id.name, id.version, id.app, sortedEntries(id.labels), w.replicas, w.demo, w.command ?? null, w.readyPath, w.tcpEcho ?? null]);
}

/** The workloads of `plans` by {@link workloadKey}. */
export function plannedWorkloads(plans: ReadonlyMap<string, ServicePlan>): Map<string, WorkloadPlan> {
  const out = new Map<string, WorkloadPlan>();
  for (const svc of plans.values()) for (const w of svc.workloads.values()) out.set(workloadKey(w), w);
  return out;
}

/** Compares the running workloads (by key) with the planned ones (pure). */
export function diffWorkloads(running: Iterable<string>, planned: ReadonlyMap<string, WorkloadPlan>): WorkloadDiff {
  const have = new Set(running);
  const start = [...planned].filter(([k]) => !have.has(k)).map(([, w]) => w);
  const keep = [...have].filter((k) => planned.has(k));
  const stop = [...have].filter((k) => !planned.has(k));
  return { start, keep, stop };
}

/** One running workload. */
interface Running {
  endpoints: Endpoint[];
  closers: Array<() => Promise<void>>;
}

/** Creates an empty pool; the demo worker thread starts with the first demo replica. */
export function createBackendPool(o: StartBackendsOptions): BackendPool {
  const demo = createDemoHost();
  let running = new Map<string, Running>();
  // Dropped by a sync, waiting for their retire(): close() must stop them too (no orphan processes).
  const retiring = new Set<Running>();
  const stopAll = (list: Running[]) => Promise.allSettled(list.flatMap((r) => r.closers.map((c) => c()))).then(() => undefined);
  return {
    async sync(plans) {
      const planned = plannedWorkloads(plans);
      const diff = diffWorkloads(running.keys(), planned);
      const fresh = new Map<string, Running>();
      const jobs: Array<Promise<void>> = [];
      for (const w of diff.start) {
        const r: Running = { endpoints: [], closers: [] };
        fresh.set(workloadKey(w), r);
        for (let i = 0; i < w.replicas; i++) {
          const id = `${w.workload.name}-${i}`;
          jobs.push(startOne(w, id, i, o, demo).then((b) => {
            r.closers.push(b.close);
            r.endpoints[i] = { id, host: '127.0.0.1', port: b.port, workload: w.workload, active: 0 };
          }));
        }
      }
      const results = await Promise.allSettled(jobs);
      const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      if (failed) {
        await stopAll([...fresh.values()]);
        throw failed.reason;
      }
      const dropped = diff.stop.map((k) => running.get(k)!);
      for (const r of dropped) retiring.add(r);
      const next = new Map([...diff.keep.map((k) => [k, running.get(k)!] as const), ...fresh]);
      const before = running;
      running = next;
      return {
        endpointsOf: (w) => next.get(workloadKey(w))?.endpoints ?? [],
        retire: () => {
          const now = dropped.filter((r) => retiring.delete(r));
          return stopAll(now);
        },
        revert: () => {
          running = before;
          for (const r of dropped) retiring.delete(r);
          return stopAll([...fresh.values()]);
        },
        started: fresh.size,
        dropped: dropped.length,
      };
    },
    async close() {
      const all = [...running.values(), ...retiring];
      running = new Map();
      retiring.clear();
      // The demo worker first: it takes every demo replica with it (their own closes become no-ops).
      await demo.close();
      await stopAll(all);
    },
  };
}

function sortedEntries(labels: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function startOne(w: WorkloadPlan, id: string, replica: number, o: StartBackendsOptions, demo: DemoHost): Promise<{ port: number; close: () => Promise<void> }> {
  if (w.command) {
    return startCommandBackend({
      argv: w.command,
      cwd: o.cwd,
      ...(o.env ? { env: o.env } : {}),
      readyPath: w.readyPath,
      label: id,
      ...(o.logger ? { logger: o.logger } : {}),
      ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
      ...(o.children ? { children: o.children } : {}),
    });
  }
  return demo.start({ workload: w.workload, instance: id, demo: w.demo, replica, ...(w.tcpEcho ? { tcpEcho: w.tcpEcho } : {}) });
}
