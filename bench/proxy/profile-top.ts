/**
 * Reads a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench:proxy -- --mesh-cpu-prof DIR`)
 * and prints the frames with the most self time, as shares of the busy samples (idle ones left out:
 * the mesh waits in epoll between the benchmark's phases). Start-up (module loading) is left out
 * by skipping the profile's first seconds. Usage:
 * `node --import tsx bench/proxy/profile-top.ts FILE.cpuprofile [N] [SKIP_S]` (defaults 10 and 5).
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  /** Call-tree nodes. */
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  /** Node id of each sample. */
  samples: number[];
  /** Microseconds between consecutive samples (the first from the profile's start). */
  timeDeltas: number[];
}

/** One frame's self time. */
export interface TopFrame {
  /** "function file:line" (file shortened to its package-relative path). */
  frame: string;
  /** Share of the busy samples, 0..1. */
  share: number;
}

/** Frames by self time, busiest first, after the first `skipMs`; `busy` counts the samples that were not idle. */
export function topSelfFrames(profile: CpuProfile, n: number, skipMs = 0): { busy: number; frames: TopFrame[] } {
  const byId = new Map(profile.nodes.map((x) => [x.id, x.callFrame]));
  const self = new Map<string, number>();
  let busy = 0;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < skipMs * 1000) continue;
    const cf = byId.get(profile.samples[i]!);
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
  const [file, n, skip] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-top.ts FILE.cpuprofile [N] [SKIP_S]');
  const { busy, frames } = topSelfFrames(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, Number(n ?? 10), Number(skip ?? 5) * 1000);
  process.stdout.write(`${busy} busy samples\n| self | frame |\n|---:|---|\n`);
  for (const f of frames) process.stdout.write(`| ${(f.share * 100).toFixed(1)}% | \`${f.frame}\` |\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`profile-top: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
