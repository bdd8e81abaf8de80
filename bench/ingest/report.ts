/** Renders the `## Ingest` section of BENCHMARKS.md from a run's figures. */
import type { MachineInfo } from '../proxy/machine-info.js';
import { median } from '../report/measure.js';
import type { GeneratedFile } from './generate.js';
import type { Measured } from './measure.js';

/** What `ingest-child.mjs` prints (one JSON line). */
export interface IngestChildResult {
  /** The ingest's own counts (`K6IngestStats`). */
  stats: { bytes: number; lines: number; points: number; declarations: number; samples: number; dropped: number; withoutStatus: number; malformed: number; slowPath: number };
  /** From opening the file to the last sample folded, ms (no process start-up). */
  elapsedMs: number;
  /** Peak resident set size of the child, KiB (getrusage). */
  maxRssKiB: number;
  /** What the recorder holds at the end. */
  recorder: { windows: number; histograms: number; estimatedBytes: number };
  /** Requests and p99 (ms) per version over the whole file: the fold did real work. */
  versions: { version: string; count: number; p99: number | null }[];
}

/** One run of the ingest child. */
export type ChildRun = Measured & { child: IngestChildResult };

/** The figures of one file size; cat, ours and the empty-input run are repeated (`rounds` each). */
export interface IngestRound {
  file: GeneratedFile;
  cat: Measured[];
  ours: ChildRun[];
  /** The child on an empty file: the fixed cost (start-up, module loading) in every `ours` run. */
  empty: ChildRun[];
  jq: Measured & { matched: number };
}

/** A whole run. */
export interface IngestBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string; jq: string };
  /** How dist/ was made ready (built by the run, or checked fresh). */
  dist: string;
  rounds: IngestRound[];
}

/** A start-up share above this is called out: the ratio then says more about Node than about the ingest. */
export const STARTUP_DOMINATES = 0.25;

/** The medians the report is made of, for one file size. */
export function summarizeRound(round: IngestRound) {
  const wall = (runs: readonly Measured[]) => median(runs.map((r) => r.wallMs));
  const cat = wall(round.cat);
  const ours = wall(round.ours);
  const empty = wall(round.empty);
  return {
    cat,
    ours,
    empty,
    inProcess: median(round.ours.map((r) => r.child.elapsedMs)),
    rssKiB: Math.max(...round.ours.map((r) => r.maxRssKiB)),
    ratio: ours / cat,
    startupShare: empty / ours,
  };
}

const mb = (kib: number) => (kib / 1024).toFixed(0);
const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (n: number) => `${n.toFixed(1)}×`;
const mega = (n: number) => (n / 1e6).toFixed(2);
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

/** The markdown section (starting with its `## Ingest` heading). */
export function renderIngestSection(r: IngestBenchResult, command: string): string {
  const m = r.machine;
  const sums = r.rounds.map(summarizeRound);
  const rows = r.rounds.map((round, i) => {
    const { file, jq } = round;
    const q = sums[i]!;
    const c = round.ours[0]!.child;
    return `| ${mega(file.lines)} M lines, ${(file.bytes / 2 ** 20).toFixed(0)} MiB | ${s(q.cat)} s | ${s(q.ours)} s | ${s(q.empty)} s (${pct(q.startupShare)}) | ${s(q.inProcess)} s, ${mega(c.stats.lines / (q.inProcess / 1000))} M lines/s | ${mb(q.rssKiB)} MB | ${s(jq.wallMs)} s, ${mb(jq.maxRssKiB)} MB | ${x(jq.wallMs / q.ours)} | **${x(q.ratio)}** |`;
  });
  const main = r.rounds.length - 1;
  const mainSum = sums[main]!;
  const mainFile = r.rounds[main]!.file;
  const worst = {
    jq: Math.min(...r.rounds.map((q, i) => q.jq.wallMs / sums[i]!.ours)),
    rss: Math.max(...sums.map((q) => q.rssKiB)),
  };
  const dominated = r.rounds.map((q, i) => ({ q, sum: sums[i]! })).filter((e) => e.sum.startupShare > STARTUP_DOMINATES);
  const startupNote = dominated.length
    ? `At ${dominated.map((e) => `${mega(e.q.file.lines)} M lines`).join(' and ')} the fixed start-up is over ${pct(STARTUP_DOMINATES)} of the ingest's wall time: there the ratio to cat mostly measures Node's start-up, not the ingest.`
    : `At every size the fixed start-up is under ${pct(STARTUP_DOMINATES)} of the ingest's wall time.`;
  const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
  const first = r.rounds[0]!;
  const n = first.ours.length;
  return [
    '## Ingest',
    '',
    `Folding a k6 \`--out json\` file into the recorder's per-version, per-second HDR histograms (\`src/load/k6/json-ingest.ts\`, compiled: ${r.dist}; in a child process reading the file as a Node Readable, 1 MiB chunks), against \`jq\` selecting one metric and \`cat\` as the raw read bound, on the same file in one run (${r.date}). The file is synthesized by \`bench/ingest/generate.ts\` in k6's exact line layout for the script \`mesh-exp export-k6\` writes: per request 9 \`http_req*\` points, \`mesh_exp_latency\`, \`mesh_exp_failed\` (and \`mesh_exp_errors\` on failures), \`data_sent\`, \`data_received\`, \`iteration_duration\`, \`iterations\`, plus \`vus\`/\`vus_max\` each second and a \`Metric\` declaration per metric; ${(first.file.requests / first.file.seconds).toFixed(0)} requests/s simulated, 90/10 v1/v2, 0.5% 503s. The page cache is warm (cat runs first); times are wall clock of the whole command, process start-up included, the median of ${n} runs each (cat, ours and the empty-input run in turn; jq once).`,
    '',
    '### Machine',
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min) before the run`,
    `- node ${m.node}; ${m.jq}`,
    '',
    '### Results',
    '',
    '| file | cat | ours (wall) | of which start-up (empty input; share) | ours in-process | ours peak RSS | jq (wall, peak RSS) | ours vs jq | ours / cat |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Start-up is the same child on an empty file: Node's start-up and loading the ingest and the recorder from dist/, a fixed cost of every run. ${startupNote} In-process is the child's own clock from opening the file to the last sample folded.`,
    '',
    `Commands: \`${first.ours[0]!.command}\` (and on an empty file), \`${first.jq.command}\` (counted ${r.rounds.map((q) => q.jq.matched).join(' and ')} lines), \`${first.cat[0]!.command}\` (FILE in a temp dir, deleted afterwards). Our ingest saw ${r.rounds.map((q) => `${q.ours[0]!.child.stats.slowPath} slow-path and ${q.ours[0]!.child.stats.malformed} malformed lines`).join('; ')}; the recorder held ${r.rounds.map((q) => `${q.ours[0]!.child.recorder.histograms} histograms (${(q.ours[0]!.child.recorder.estimatedBytes / 2 ** 20).toFixed(1)} MiB)`).join(' and ')}.`,
    '',
    '### Against the targets',
    '',
    '| target | measured | verdict |',
    '|---|---:|---|',
    `| ≥ 10× faster than jq | ${x(worst.jq)} (worst file) | ${verdict(worst.jq >= 10)} |`,
    `| within 10× of cat | ${x(mainSum.ratio)} (main size: ${mega(mainFile.lines)} M lines, ${(mainFile.bytes / 2 ** 20).toFixed(0)} MiB; start-up ${pct(mainSum.startupShare)} of it) | ${verdict(mainSum.ratio <= 10)} |`,
    `| peak RSS < 200 MB, whatever the file size | ${mb(worst.rss)} MB (worst file) | ${verdict(worst.rss < 200 * 1024)} |`,
    '',
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}
