/**
 * CLI start-up benchmark entry point: `node --import tsx bench/startup/run.ts [--rounds 40]`.
 * Times whole processes: `node -e ''` (the floor), `mesh-exp --help`, `--version`, `validate
 * experiments/canary.yaml` and, when it is on PATH, `kubectl --help` (the peer), interleaved round
 * by round; replaces the `## CLI start-up` section of BENCHMARKS.md and keeps the raw figures in
 * bench/results/startup.json. `MESH_EXP_BENCH_ROUNDS` overrides `--rounds` (a smoke run: 2).
 * A benchmark, not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo } from '../proxy/machine-info.js';
import { timeCommands, type StartupCommand } from './measure.js';
import { renderStartupSection, STARTUP_HEADING, summarize, type StartupBenchResult } from './report.js';

const COMMAND = 'npm run build && npm run bench:startup   # = node --import tsx bench/startup/run.ts --rounds 40';

/** The absolute path of `name` on PATH, or null. */
function which(name: string): string | null {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' } } });
  const rounds = Number(process.env['MESH_EXP_BENCH_ROUNDS'] ?? values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1, got ${values.rounds}`);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  await access(join(repoRoot, 'dist', 'cli', 'main.js')).catch(() => {
    throw new Error('dist/ is missing: run `npm run build` first (bin/mesh-exp.js runs the compiled CLI)');
  });
  const node = process.execPath;
  const cli = (args: string[], name: string, okCodes?: number[]): StartupCommand => ({
    name,
    shown: `node bin/mesh-exp.js ${args.join(' ')}`,
    argv: [node, 'bin/mesh-exp.js', ...args],
    ...(okCodes ? { okCodes } : {}),
  });
  const commands: StartupCommand[] = [
    { name: 'floor', shown: "node -e ''", argv: [node, '-e', ''] },
    cli(['--help'], 'help'),
    cli(['--version'], 'version'),
    cli(['validate', 'experiments/canary.yaml'], 'validate'),
  ];
  // kubectl is the CLI mesh-exp users run beside it; helm is the other usual one. Both are Go binaries.
  const peers = (['kubectl', 'helm'] as const).map((name) => ({ name, path: which(name) }));
  for (const p of peers) if (p.path) commands.push({ name: p.name, shown: `${p.name} --help`, argv: [p.path, '--help'] });
  const missingPeers = peers.filter((p) => !p.path).map((p) => p.name);
  const cpu = await collectCpuInfo();

  log(`timing ${commands.length} commands, ${rounds} rounds ...`);
  const wallMs = await timeCommands(commands, rounds, repoRoot, log);
  for (const c of commands) {
    const s = summarize(wallMs[c.name]!);
    log(`  ${c.shown}: median ${s.median.toFixed(0)} ms, p90 ${s.p90.toFixed(0)} ms`);
  }
  const result: StartupBenchResult = {
    date: new Date().toISOString(),
    machine: { ...cpu, node: process.version, peers: peers.filter((p) => p.path).map((p) => `${p.name} --help`) },
    rounds,
    commands: commands.map(({ name, shown }) => ({ name, shown })),
    wallMs,
    missingPeers,
  };
  await saveBenchResult(repoRoot, 'startup', result);
  await publishSection(repoRoot, STARTUP_HEADING, renderStartupSection(result, COMMAND));
}

await main();
