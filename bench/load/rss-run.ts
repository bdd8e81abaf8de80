/**
 * Memory over a long run: the engine child at a fixed rate for `minutes`, its whole process tree's
 * RSS (the Node process and, for vegeta, vegeta's two processes) sampled every `everyMs`.
 */
import { join } from 'node:path';
import type { ProcessGroup } from '../proxy/process-group.js';
import { portsSettled } from './probe.js';
import { treeRssKiB } from './proc-tree.js';
import type { TargetServer } from './target-server.js';

/** One engine's memory over the run. */
export interface RssRun {
  /** Engine name. */
  engine: string;
  /** Rate, req/s. */
  rate: number;
  /** Length of the run, min. */
  minutes: number;
  /** Requests the engine completed. */
  completed: number;
  /** [seconds since start, tree RSS KiB] every sample. */
  samples: [number, number][];
}

/** Runs the engine for `minutes` at `rate` and samples its tree's RSS. */
export async function runRss(group: ProcessGroup, repoRoot: string, server: TargetServer, pin: string[], engine: string, rate: number, minutes: number, everyMs: number, log: (m: string) => void): Promise<RssRun> {
  await portsSettled();
  await server.reset();
  const durationMs = Math.round(minutes * 60_000);
  const started = group.start([...pin, process.execPath, join(repoRoot, 'bench/load/engine-child.mjs'), '--engine', engine, '--url', `${server.url}/`, '--rate', String(rate), '--duration-ms', String(durationMs)], { name: `${engine} rss`, captureStdout: true, cwd: repoRoot });
  const t0 = performance.now();
  const samples: [number, number][] = [];
  const pid = started.child.pid!;
  const timer = setInterval(() => {
    void treeRssKiB(pid).then((kib) => {
      if (kib === 0) return;
      const s = Math.round((performance.now() - t0) / 1000);
      samples.push([s, kib]);
      if (samples.length % 6 === 0) log(`  ${engine}: ${s} s, ${(kib / 1024).toFixed(1)} MiB`);
    });
  }, everyMs);
  const code = await started.exited;
  clearInterval(timer);
  if (code !== 0) throw new Error(`${engine} rss run exited with ${code}`);
  const result = JSON.parse(started.stdout().trim().split('\n').at(-1)!) as { completed: number };
  return { engine, rate, minutes, completed: result.completed, samples };
}
