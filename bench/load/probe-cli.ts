/**
 * A few probes, without the whole benchmark: `node --import tsx bench/load/probe-cli.ts --engine
 * builtin --rates 4000,6000,8000 [--probe-seconds 6]`. Same set-up as `run.ts` (dist/ built, the Go
 * target server on CPU 0, the engine on CPU 1); prints one line per probe and publishes nothing.
 * For working on an engine; the figures that count come from `npm run bench:load`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createProcessGroup } from '../proxy/process-group.js';
import { findBenchTools } from '../proxy/tools.js';
import { holdsRate, runProbe } from './probe.js';
import { startTargetServer } from './target-server.js';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'builtin' }, rates: { type: 'string', default: '4000' }, 'probe-seconds': { type: 'string', default: '6' } },
});
const rates = values.rates.split(',').map(Number);
if (rates.some((r) => !(r > 0))) throw new Error('--rates: comma-separated rates > 0');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = await findBenchTools(process.env, ['taskset', 'go']);
const group = createProcessGroup({ env: process.env, kill: (pid, s) => process.kill(pid, s), onOutput: (name, line) => void process.stderr.write(`  [${name}] ${line}\n`) });
const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-load-probe-'));
try {
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
  const server = await startTargetServer(group, repoRoot, dir, tools.go, [tools.taskset, '-c', '0']);
  for (const rate of rates) {
    const p = await runProbe({ group, repoRoot, dir, server, pin: [tools.taskset, '-c', '1'], engine: values.engine, rate, durationMs: Number(values['probe-seconds']) * 1000, warmupMs: 1000 });
    const s = p.schedule;
    process.stdout.write(
      `${p.engine} @ ${rate}: ${(s.shareOver1Ms * 100).toFixed(2)}% > 1 ms behind, p99 behind ${s.behindP99Ms.toFixed(2)} ms, ${s.count} arrived, ${p.completed} done, ${p.failed} failed, ` +
        `${s.connections} conns, CPU ${p.cpuSeconds.toFixed(2)} s, engine p99 ${p.latencyP99Ms?.toFixed(2)} ms → ${holdsRate(p) ? 'holds' : 'misses'}\n`,
    );
  }
} finally {
  await group.stopAll(1000);
  await rm(dir, { recursive: true, force: true });
}
