/** Renders the `## Load engines` section of BENCHMARKS.md from one run's figures. */
import { reproduceLines } from '../proxy/benchmarks-file.js';
import type { IngestResult } from './ingest.js';
import type { MaxRateResult } from './max-rate.js';
import type { ProbeResult } from './probe.js';
import type { RssRun } from './rss-run.js';

/** Everything one `npm run bench:load` measured. */
export interface LoadBenchResult {
  /** ISO time of the run. */
  date: string;
  /** CPUs, model, load average, tool versions. */
  machine: { nproc: number; cpuModel: string; loadavg: [number, number, number]; node: string; vegeta: string; wrk: string; go: string };
  /** Highest open-model rate per engine. */
  maxRate: MaxRateResult[];
  /** wrk at the connections vegeta used at its highest rate. */
  wrk: { connections: number; rps: number; p99Ms: number };
  /** Per engine, a probe at 1.5× its highest rate: its own latency beside the server's clock. */
  overload: ProbeResult[];
  /** Per engine: a start-up-only probe and a fixed-rate probe, for CPU per 10,000 requests. */
  cpu: { engine: string; startup: ProbeResult; run: ProbeResult }[];
  /** Memory over the long run. */
  rss: RssRun[];
  /** Ingest of vegeta's JSON lines. */
  ingest: IngestResult;
}

const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);
const mib = (kib: number) => (kib / 1024).toFixed(1);

/** CPU-seconds per 10,000 requests, net of the process's start-up. */
export function cpuPer10k(c: LoadBenchResult['cpu'][number]): number {
  return ((c.run.cpuSeconds - c.startup.cpuSeconds) / Math.max(1, c.run.completed)) * 10_000;
}

/** Median RSS (KiB) of the samples whose time falls in [fromS, toS). */
export function rssAround(run: RssRun, fromS: number, toS: number): number {
  const xs = run.samples.filter(([s]) => s >= fromS && s < toS).map(([, k]) => k).sort((a, b) => a - b);
  return xs.length === 0 ? Number.NaN : xs[Math.floor(xs.length / 2)]!;
}

/** Growth of RSS from the second minute to the last minute, as a fraction. */
export function rssGrowth(run: RssRun): number {
  const end = run.minutes * 60;
  return rssAround(run, end - 60, end + 1) / rssAround(run, 60, 120) - 1;
}

/** Lines per second of a reader, counting its process start-up. */
const perSecond = (lines: number, ms: number) => (lines / ms) * 1000;

/** The Markdown section. */
export function renderLoadSection(r: LoadBenchResult, command: string): string {
  const byName = (e: string) => r.maxRate.find((m) => m.engine === e);
  const vegeta = byName('vegeta')?.maxRate ?? Number.NaN;
  const builtin = byName('builtin')?.maxRate ?? Number.NaN;
  const ing = r.ingest;
  const oursLoop = perSecond(ing.lines, ing.ours.loopMs);
  const oursWall = perSecond(ing.lines, ing.ours.wallMs);
  const peerWall = perSecond(ing.lines, ing.vegetaReport.wallMs);
  const flat = r.rss.map((run) => ({ run, growth: rssGrowth(run) }));
  const lines = [
    '## Load engines',
    '',
    `The built-in generator beside vegeta v12.13.0 (both as mesh-exp runs them: the generator from its registry, every sample into its recorder), measured in one run (${r.date}). wrk is the closed-model ceiling at the same connections.`,
    '',
    '### Machine',
    '',
    `- ${r.machine.nproc} CPUs, ${r.machine.cpuModel}; load average ${r.machine.loadavg.map(f2).join(' / ')} before the run (other work on the machine makes every figure noisy)`,
    `- node ${r.machine.node}; vegeta ${r.machine.vegeta}; ${r.machine.wrk}; ${r.machine.go}`,
    '',
    '### Highest open-model rate on one core',
    '',
    'The engine (and, for vegeta, its two processes and mesh-exp\'s ingest) pinned to CPU 1, the Go target server to CPU 0. A rate holds when at most 1% of the requests arrive at the server more than 1 ms behind the ideal schedule (first arrival + k/rate; the first second is warm-up), at least 99% arrive, and at most 0.1% fail.',
    '',
    '| engine | highest rate held, req/s | vs vegeta | p99 behind at it, ms | connections | CPU-s at it |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.maxRate.map((m) => `| ${m.engine} | ${f0(m.maxRate)} | ${f2(m.maxRate / vegeta)}× | ${m.atMax ? f2(m.atMax.schedule.behindP99Ms) : '—'} | ${m.atMax?.schedule.connections ?? '—'} | ${m.atMax ? f2(m.atMax.cpuSeconds) : '—'} |`),
    `| wrk -t1 -c${r.wrk.connections} (closed model, saturation) | ${f0(r.wrk.rps)} | ${f2(r.wrk.rps / vegeta)}× | — (p99 latency ${f2(r.wrk.p99Ms)} ms) | ${r.wrk.connections} | — |`,
    '',
    '### What each engine calls latency',
    '',
    'The same probes seen from both sides: the engine\'s own p99 latency (what the report would show) beside how far behind the schedule the requests reached the server. The built-in generator measures from the intended send, so lateness of its own is in its latency; vegeta measures from the actual send, so lateness of its own (a send it made late) is not. Past an engine\'s highest rate both figures grow together when the wait is at the server (connections queued there count for both); they part only where the engine itself is late.',
    '',
    '| engine | rate, req/s | engine\'s p99 latency, ms | server: p99 behind schedule, ms | share > 1 ms behind |',
    '|---|---:|---:|---:|---:|',
    ...[...r.maxRate.flatMap((m) => (m.atMax ? [m.atMax] : [])), ...r.overload].map(
      (p) => `| ${p.engine} | ${f0(p.rate)}${r.overload.includes(p) ? ' (1.5× its highest)' : ' (its highest)'} | ${p.latencyP99Ms === null ? '—' : f2(p.latencyP99Ms)} | ${f2(p.schedule.behindP99Ms)} | ${(p.schedule.shareOver1Ms * 100).toFixed(1)}% |`,
    ),
    '',
    '### CPU per 10,000 requests',
    '',
    '| engine | rate, req/s | requests | CPU-s (user+sys, whole tree) | start-up CPU-s | CPU-s per 10,000, net of start-up | vs vegeta |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.cpu.map((c) => {
      const veg = r.cpu.find((x) => x.engine === 'vegeta');
      return `| ${c.engine} | ${f0(c.run.rate)} | ${c.run.completed} | ${f2(c.run.cpuSeconds)} | ${f2(c.startup.cpuSeconds)} | ${f2(cpuPer10k(c))} | ${veg ? f2(cpuPer10k(c) / cpuPer10k(veg)) : '—'}× |`;
    }),
    '',
    `### Memory over ${r.rss[0]?.minutes ?? '?'} minutes at ${r.rss[0]?.rate ?? '?'} req/s`,
    '',
    'RSS of the whole process tree (Node, and vegeta\'s attack and encode), sampled every 10 s; "growth" compares the median of the last minute with that of the second minute.',
    '',
    '| engine | requests | RSS 2nd minute, MiB | RSS last minute, MiB | max, MiB | growth |',
    '|---|---:|---:|---:|---:|---:|',
    ...flat.map(({ run, growth }) => `| ${run.engine} | ${run.completed} | ${mib(rssAround(run, 60, 120))} | ${mib(rssAround(run, run.minutes * 60 - 60, run.minutes * 60 + 1))} | ${mib(Math.max(...run.samples.map(([, k]) => k)))} | ${(growth * 100).toFixed(1)}% |`),
    '',
    `### Ingest of vegeta's JSON lines (${ing.lines.toLocaleString('en-US')} lines, ${mib(ing.bytes / 1024)} MiB)`,
    '',
    '| reader | wall, s | lines/s | vs vegeta report | peak RSS, MiB |',
    '|---|---:|---:|---:|---:|',
    `| \`cat\` (the read bound) | ${f2(ing.cat.wallMs / 1000)} | ${f0(perSecond(ing.lines, ing.cat.wallMs))} | ${f2(perSecond(ing.lines, ing.cat.wallMs) / peerWall)}× | ${mib(ing.cat.maxRssKiB)} |`,
    `| \`vegeta report\` (vegeta's own JSON reader) | ${f2(ing.vegetaReport.wallMs / 1000)} | ${f0(peerWall)} | 1.00× | ${mib(ing.vegetaReport.maxRssKiB)} |`,
    `| mesh-exp: forEachLine → vegeta-scan (else parseVegetaResult) → recorder (whole process) | ${f2(ing.ours.wallMs / 1000)} | ${f0(oursWall)} | ${f2(oursWall / peerWall)}× | ${mib(ing.ours.maxRssKiB)} |`,
    `| mesh-exp, the loop alone (no Node start-up) | ${f2(ing.ours.loopMs / 1000)} | ${f0(oursLoop)} | — | — |`,
    '',
    '### Against the goals',
    '',
    '| goal | measured | verdict |',
    '|---|---:|---|',
    `| built-in generator ≥ 0.8× vegeta's highest open-model rate | ${f2(builtin / vegeta)}× (${f0(builtin)} vs ${f0(vegeta)} req/s) | ${builtin / vegeta >= 0.8 ? '✅ met' : '❌ missed'} |`,
    `| recorder ingests ≥ 500,000 vegeta lines/s | ${f0(oursLoop)} lines/s (the loop) | ${oursLoop >= 500_000 ? '✅ met' : '❌ missed'} |`,
    ...flat.map(({ run, growth }) => `| memory flat over ${run.minutes} min (${run.engine}: growth ≤ 10%) | ${(growth * 100).toFixed(1)}% | ${growth <= 0.1 ? '✅ met' : '❌ missed'} |`),
    '',
    '### Method',
    '',
    '- Target: `bench/load/server/main.go` (Go net/http, pinned to CPU 0) answers 200 with `x-version` and a 14-byte body and notes each arrival; `/__schedule` compares the sorted arrivals with the ideal schedule. Judging every engine by the server\'s clock is what makes the two comparable: the built-in generator measures latency from the intended send, vegeta from the actual send.',
    '- Engines: `bench/load/engine-child.mjs` on the built `dist/` (no tsx in the measured process), under GNU time (`%U %S %M`: the rusage of the whole tree, since vegeta\'s processes are reaped by it), pinned with `taskset -c 1`.',
    '- The built-in generator runs as the CLI runs it: V8 tuned as `bin/mesh-exp.js` tunes it (`src/cli/v8-tuning.ts`), and from 1,000 req/s its JIT warm-up (2,000 requests to a loopback server of its own, before the first arrival) is part of the run, its CPU included.',
    '- Before every run the harness waits until fewer than 2,000 sockets are in TIME_WAIT: an overloaded engine opens thousands of connections, and their ports stay held for a minute.',
    '- CPU per 10,000: a 10 s run at the stated rate, minus a start-up run of one request (below 1,000 req/s, so without the built-in generator\'s warm-up: its cost stays in the figure).',
    '- Ingest: a real attack\'s `vegeta encode --to json` lines, repeated to the stated count; each reader runs under GNU time after a warm `cat`.',
    '',
    ...reproduceLines(command),
  ];
  return lines.join('\n');
}
