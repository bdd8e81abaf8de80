/**
 * Reads a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench:proxy -- --mesh-cpu-prof DIR`)
 * and prints the frames with the most self time, as shares of the busy samples (idle ones left out:
 * the mesh waits in epoll between the benchmark's phases). Usage:
 * `node --import tsx bench/proxy/profile-top.ts FILE.cpuprofile [N]`.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  /** Call-tree nodes. */
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  /** Node id of each sample. */
  samples: number[];
}

/** One frame's self time. */
export interface TopFrame {
  /** "function file:line" (file shortened to its package-relative path). */
  frame: string;
  /** Share of the busy samples, 0..1. */
  share: number;
}

/** Frames by self time, busiest first; `busy` counts the samples that were not idle. */
export function topSelfFrames(profile: CpuProfile, n: number): { busy: number; frames: TopFrame[] } {
  const byId = new Map(profile.nodes.map((x) => [x.id, x.callFrame]));
  const self = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const cf = byId.get(id);
    if (!cf || cf.functionName === '(idle)') continue;
    busy++;
    const file = cf.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/').replace(/^node:/, '');
    const key = file ? `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}` : cf.functionName || '(anonymous)';
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const frames = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([frame, count]) => ({ frame, share: busy ? count / busy : 0 }));
  return { busy, frames };
}

async function main(): Promise<void> {
  const [file, n] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N]');
  const { busy, frames } = topSelfFrames(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, Number(n ?? 10));
  process.stdout.write(`${busy} busy samples\n| self | frame |\n|---:|---|\n`);
  for (const f of frames) process.stdout.write(`| ${(f.share * 100).toFixed(1)}% | \`${f.frame}\` |\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`profile-top: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
