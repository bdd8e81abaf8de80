/** Renders the `## CLI start-up` section of BENCHMARKS.md from a run's figures. */
import { percentile } from '../proxy/fixed-rate.js';
import type { MachineInfo } from '../proxy/machine-info.js';
import { median } from '../report/measure.js';
import type { StartupCommand } from './measure.js';

/** The section's heading (the line `publishSection` replaces up to the next `## `). */
export const STARTUP_HEADING = '## CLI start-up';

/** What the start-up goal is, per command (whole process, quiet machine). */
export const STARTUP_TARGET_MS = 200;

/** A whole benchmark run. */
export interface StartupBenchResult {
  date: string;
  machine: Pick<MachineInfo, 'nproc' | 'cpuModel' | 'loadavg'> & { node: string; peers: string[] };
  rounds: number;
  /** The commands in table order; the first is the floor (`node -e ''`). */
  commands: Pick<StartupCommand, 'name' | 'shown'>[];
  /** Wall times in ms per command name, one per round. */
  wallMs: Record<string, number[]>;
  /** Peers looked for and not found on PATH. */
  missingPeers: string[];
}

/** Median and 90th percentile (nearest rank) of a command's times. */
export function summarize(times: readonly number[]): { median: number; p90: number } {
  return { median: median(times), p90: percentile([...times].sort((a, b) => a - b), 0.9) };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (n: number, floor: number) => `${(n / floor).toFixed(2)}×`;

/** The markdown section, starting with its heading. */
export function renderStartupSection(r: StartupBenchResult, command: string): string {
  const floorName = r.commands[0]!.name;
  const floor = summarize(r.wallMs[floorName]!);
  const rows = r.commands.map((c) => {
    const s = summarize(r.wallMs[c.name]!);
    const ours = c.shown.startsWith('node bin/mesh-exp.js');
    const verdict = ours ? (s.median <= STARTUP_TARGET_MS ? '✅' : '❌') : '—';
    return `| \`${c.shown}\` | ${ms(s.median)} | ${ms(s.p90)} | ${ratio(s.median, floor.median)} | ${ratio(s.p90, floor.p90)} | ${verdict} |`;
  });
  const m = r.machine;
  const notes = [
    `The floor is \`${r.commands[0]!.shown}\`: starting Node and exiting, which no Node CLI can beat.`,
    m.peers.length
      ? `Peers: ${m.peers.map((p) => `\`${p}\``).join(', ')}: the help of the Go CLIs used beside mesh-exp (static binaries, no runtime to start).`
      : 'No kubectl-class peer was found on PATH, so the floor is the only peer.',
    r.missingPeers.length ? `Not on PATH, so not measured: ${r.missingPeers.join(', ')}.` : '',
  ].filter(Boolean);
  return [
    STARTUP_HEADING,
    '',
    `Wall time of the whole process, spawn to exit, output discarded (${r.date}). ${r.rounds} rounds after one unmeasured warm-up round; each round runs every command once, the order rotated by one each round, so drift on the machine hits every command alike. Ratios are against the floor's median (and p90 against its p90). The CLI is the compiled \`dist/\` (\`npm run build\` first); each command imports only what it runs (\`src/cli/commands/<name>-action.ts\` is loaded by the action), so \`--help\` and \`--version\` load commander and the command definitions, and \`validate\` adds the spec checks (zod, yaml).`,
    '',
    ...notes,
    '',
    '### Machine',
    '',
    `- ${m.nproc} CPUs (nproc), ${m.cpuModel}; load average ${m.loadavg.map((v) => v.toFixed(2)).join(' / ')} (1/5/15 min) before the run (other work shared the machine when the first figure is well above 0)`,
    `- node ${m.node}`,
    '',
    '### Results',
    '',
    `| command | median | p90 | median / floor | p90 / floor | mesh-exp ≤ ${STARTUP_TARGET_MS} ms (median) |`,
    '|---|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `Reproduce: \`${command}\``,
    '',
  ].join('\n');
}
