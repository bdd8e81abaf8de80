/**
 * One measured load run: the engine child (`engine-child.mjs`) pinned to the load CPU under GNU
 * time (CPU-seconds and peak RSS of the whole tree: vegeta's processes are reaped by the child, so
 * their usage is in its rusage), then the target server's view of how far behind the ideal
 * open-model schedule the arrivals were.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runToEnd, type ProcessGroup } from '../proxy/process-group.js';
import { timeWaitSockets } from './proc-tree.js';
import type { ServerSchedule, TargetServer } from './target-server.js';

/** What one probe measured. */
export interface ProbeResult {
  /** Engine name. */
  engine: string;
  /** Target rate, req/s. */
  rate: number;
  /** Load duration, ms. */
  durationMs: number;
  /** Requests the engine reported completed (any status). */
  completed: number;
  /** Requests that failed without a response. */
  failed: number;
  /** Median latency as the engine itself measures it, ms (builtin: from the intended send; vegeta: from the actual send). */
  latencyP50Ms: number | null;
  /** 99th percentile of that latency, ms. */
  latencyP99Ms: number | null;
  /** The server's view of the schedule. */
  schedule: ServerSchedule;
  /** User + system CPU of the engine's process tree, s. */
  cpuSeconds: number;
  /** Peak RSS of the largest process of the tree, KiB (GNU time's %M). */
  maxRssKiB: number;
}

/** Options of {@link runProbe}. */
export interface ProbeOptions {
  /** Process group every child runs in. */
  group: ProcessGroup;
  /** Repository root (engine-child.mjs and dist/ are resolved against it). */
  repoRoot: string;
  /** Scratch directory. */
  dir: string;
  /** The target. */
  server: TargetServer;
  /** argv prefix pinning the engine to the load CPU, e.g. ["taskset", "-c", "1"]. */
  pin: string[];
  /** Engine name ("builtin", "vegeta"). */
  engine: string;
  /** Rate, req/s. */
  rate: number;
  /** Load duration, ms. */
  durationMs: number;
  /** Arrivals in the first warmupMs are left out of the schedule figures. */
  warmupMs: number;
}

/** Runs the engine once against the server and returns what both sides saw. */
export async function runProbe(o: ProbeOptions): Promise<ProbeResult> {
  // An overloaded engine opens thousands of connections; their TIME_WAIT sockets hold local ports
  // for a minute, and a probe started then fails to connect (measuring the ports, not the engine).
  await portsSettled();
  await o.server.reset();
  const timeFile = join(o.dir, 'probe.time');
  const argv = [
    '/usr/bin/time', '-f', '%U %S %M', '-o', timeFile,
    ...o.pin, process.execPath, join(o.repoRoot, 'bench/load/engine-child.mjs'),
    '--engine', o.engine, '--url', `${o.server.url}/`, '--rate', String(o.rate), '--duration-ms', String(o.durationMs),
  ];
  const out = await runToEnd(o.group, argv, { name: `${o.engine}@${o.rate}`, cwd: o.repoRoot });
  const child = JSON.parse(out.trim().split('\n').at(-1)!) as { completed: number; failed: number; latencyP50Ms: number | null; latencyP99Ms: number | null };
  const [user, sys, rss] = (await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
  await rm(timeFile, { force: true });
  const schedule = await o.server.schedule(o.rate, o.warmupMs);
  return { engine: o.engine, rate: o.rate, durationMs: o.durationMs, completed: child.completed, failed: child.failed, latencyP50Ms: child.latencyP50Ms, latencyP99Ms: child.latencyP99Ms, schedule, cpuSeconds: user! + sys!, maxRssKiB: rss! };
}

/** Waits (at most 2 minutes) until fewer than 2,000 sockets are in TIME_WAIT. */
export async function portsSettled(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await timeWaitSockets()) >= 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
}

/** The criterion: at most 1% of the arrivals more than 1 ms behind, and (almost) all sent and answered. */
export function holdsRate(p: ProbeResult): boolean {
  const expected = (p.rate * p.durationMs) / 1000;
  return p.schedule.shareOver1Ms <= 0.01 && p.schedule.count >= 0.99 * expected && p.failed <= 0.001 * expected;
}
