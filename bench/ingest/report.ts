/** Renders the `## Ingest` section of BENCHMARKS.md from a run's figures. */
import type { MachineInfo } from '../proxy/machine-info.js';
import type { GeneratedFile } from './generate.js';
import type { IngestChildResult } from './ingest-child.js';
import type { Measured } from './measure.js';

/** The figures of one file size. */
export interface IngestRound {
  file: GeneratedFile;
  ours: Measured & { child: IngestChildResult };
  jq: Measured & { matched: number };
  cat: Measured;
}

/** A whole run. */
export interface IngestBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string; jq: string };
  rounds: IngestRound[];
}

const mb = (kib: number) => (kib / 1024).toFixed(0);
const s = (ms: number) => (ms / 1000).toFixed(2);
const x = (n: number) => `${n.toFixed(1)}×`;
const mega = (n: number) => (n / 1e6).toFixed(2);

/** The markdown section (starting with its `## Ingest` heading). */
export function renderIngestSection(r: IngestBenchResult, command: string): string {
  const m = r.machine;
  const rows = r.rounds.map((round) => {
    const { file, ours, jq, cat } = round;
    const c = ours.child;
    return `| ${mega(file.lines)} M lines, ${(file.bytes / 2 ** 20).toFixed(0)} MiB | ${s(ours.wallMs)} s (${s(c.elapsedMs)} s in-process) | ${mega(c.stats.lines / (c.elapsedMs / 1000))} M lines/s, ${mega(c.stats.samples / (c.elapsedMs / 1000))} M samples/s | ${mb(ours.maxRssKiB)} MB | ${s(jq.wallMs)} s, ${mb(jq.maxRssKiB)} MB | ${s(cat.wallMs)} s | ${x(jq.wallMs / ours.wallMs)} | ${x(ours.wallMs / cat.wallMs)} |`;
  });
  const worst = {
    jq: Math.min(...r.rounds.map((q) => q.jq.wallMs / q.ours.wallMs)),
    cat: Math.max(...r.rounds.map((q) => q.ours.wallMs / q.cat.wallMs)),
    rss: Math.max(...r.rounds.map((q) => q.ours.maxRssKiB)),
  };
  const verdict = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
  const first = r.rounds[0]!;
  return [
    '## Ingest',
    '',
    `Folding a k6 \`--out json\` file into the recorder's per-version, per-second HDR histograms (\`src/load/k6/json-ingest.ts\` in a child process reading the file as a Node Readable, 1 MiB chunks), against \`jq\` selecting one metric and \`cat\` as the raw read bound, on the same file in one run (${r.date}). The file is synthesized by \`bench/ingest/generate.ts\` in k6's exact line layout for the script \`mesh-exp export-k6\` writes: per request 9 \`http_req*\` points, \`mesh_exp_latency\`, \`mesh_exp_failed\` (and \`mesh_exp_errors\` on failures), \`data_sent\`, \`data_received\`, \`iteration_duration\`, \`iterations\`, plus \`vus\`/\`vus_max\` each second and a \`Metric\` declaration per metric; ${(first.file.requests / first.file.seconds).toFixed(0)} requests/s simulated, 90/10 v1/v2, 0.5% 503s. The page cache is warm (cat runs first, twice); times are wall clock of the whole command, process start-up included.`,
    '',
    '### Machine',
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min) before the run`,
    `- node ${m.node}; ${m.jq}`,
    '',
    '### Results',
    '',
    '| file | ours (wall) | ours throughput | ours peak RSS | jq (wall, peak RSS) | cat | ours vs jq | ours / cat |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Commands: \`${first.ours.command}\`, \`${first.jq.command}\` (counted ${r.rounds.map((q) => q.jq.matched).join(' and ')} lines), \`${first.cat.command}\` (FILE in a temp dir, deleted afterwards). Our ingest saw ${r.rounds.map((q) => `${q.ours.child.stats.slowPath} slow-path and ${q.ours.child.stats.malformed} malformed lines`).join('; ')}; the recorder held ${r.rounds.map((q) => `${q.ours.child.recorder.histograms} histograms (${(q.ours.child.recorder.estimatedBytes / 2 ** 20).toFixed(1)} MiB)`).join(' and ')}.`,
    '',
    '### Against the targets',
    '',
    '| target | measured (worst file) | verdict |',
    '|---|---:|---|',
    `| ≥ 10× faster than jq | ${x(worst.jq)} | ${verdict(worst.jq >= 10)} |`,
    `| within 10× of cat | ${x(worst.cat)} | ${verdict(worst.cat <= 10)} |`,
    `| peak RSS < 200 MB, whatever the file size | ${mb(worst.rss)} MB | ${verdict(worst.rss < 200 * 1024)} |`,
    '',
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}
