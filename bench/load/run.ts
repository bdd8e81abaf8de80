/**
 * Load-engine benchmark entry point: `npm run bench:load [-- --rss-minutes 10 --ingest-lines 2000000]`.
 * Builds dist/ and the Go target server, then measures in one run: the highest open-model rate of
 * each engine on one core, wrk's closed-model ceiling at vegeta's connections, CPU-seconds per
 * 10,000 requests, RSS over a long run at 2,000 req/s, and the ingest rate of vegeta's JSON lines.
 * Replaces `## Load engines` in BENCHMARKS.md; raw figures in bench/results/load.json.
 * A benchmark, not a test: nothing asserts. Run it alone on the machine (2 CPUs: one per side).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo, firstLine } from '../proxy/machine-info.js';
import { createProcessGroup } from '../proxy/process-group.js';
import { findBenchTools } from '../proxy/tools.js';
import { runWrk } from '../proxy/wrk.js';
import { measureIngest } from './ingest.js';
import { findMaxRate, type MaxRateResult } from './max-rate.js';
import { runProbe } from './probe.js';
import { renderLoadSection, type LoadBenchResult } from './report.js';
import { runRss } from './rss-run.js';
import { startTargetServer } from './target-server.js';

const ENGINES = ['vegeta', 'builtin'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'rss-minutes': { type: 'string', default: '10' },
      'rss-rate': { type: 'string', default: '2000' },
      'ingest-lines': { type: 'string', default: '2000000' },
      'probe-seconds': { type: 'string', default: '6' },
    },
  });
  const rssMinutes = Number(values['rss-minutes']);
  const rssRate = Number(values['rss-rate']);
  const ingestLines = Number(values['ingest-lines']);
  const probeMs = Number(values['probe-seconds']) * 1000;
  if (!(rssMinutes >= 2) || !(rssRate > 0) || !(ingestLines > 0) || !(probeMs >= 2000)) throw new Error('--rss-minutes ≥ 2, --rss-rate > 0, --ingest-lines > 0, --probe-seconds ≥ 2');
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  const env = process.env;
  const tools = await findBenchTools(env, ['taskset', 'wrk', 'go']);
  const vegeta = join(repoRoot, '.tools/vegeta/bin/vegeta');
  try {
    execFileSync(vegeta, ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`vegeta is not at ${vegeta}: run bash scripts/provision-tools.sh`);
  }
  const group = createProcessGroup({ env, kill: (pid, s) => process.kill(pid, s), onOutput: (name, line) => log(`  [${name}] ${line}`) });
  const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-load-bench-'));
  const stop = () => void group.stopAll(500).then(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    log('compiling dist/ (tsc -p tsconfig.build.json)');
    execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
    const machine = {
      ...(await collectCpuInfo()),
      node: process.version,
      vegeta: 'v12.13.0 (go install, .tools/vegeta)',
      wrk: await firstLine([tools.wrk, '-v'], env),
      go: await firstLine([tools.go, 'version'], env),
    };
    const server = await startTargetServer(group, repoRoot, dir, tools.go, [tools.taskset, '-c', '0']);
    const pin = [tools.taskset, '-c', '1'];
    const base = { group, repoRoot, dir, server, pin, durationMs: probeMs, warmupMs: 1000 };

    const maxRate: MaxRateResult[] = [];
    for (const engine of ENGINES) {
      log(`highest open-model rate: ${engine}`);
      maxRate.push(await findMaxRate({ ...base, engine, log }));
    }
    const connections = maxRate.find((m) => m.engine === 'vegeta')?.atMax?.schedule.connections ?? 64;
    log(`wrk -c${connections}`);
    const wrk = await runWrk({ group, wrkPath: tools.wrk, pinPrefix: pin, url: server.url, host: 'bench', durationS: 10, connections });

    // Past what an engine holds, its own latency shows (builtin) or hides (vegeta) its lateness.
    const overload = [];
    for (const m of maxRate) {
      if (m.maxRate <= 0) continue;
      log(`overload: ${m.engine} at 1.5 × ${m.maxRate}`);
      overload.push(await runProbe({ ...base, engine: m.engine, rate: Math.round(m.maxRate * 1.5) }));
    }

    const cpu: LoadBenchResult['cpu'] = [];
    for (const engine of ENGINES) {
      log(`CPU per 10,000: ${engine}`);
      const startup = await runProbe({ ...base, engine, rate: 1, durationMs: 500, warmupMs: 0 });
      const run = await runProbe({ ...base, engine, rate: rssRate, durationMs: 10_000 });
      cpu.push({ engine, startup, run });
    }

    log(`ingest of ${ingestLines} vegeta lines`);
    const ingest = await measureIngest(group, repoRoot, dir, vegeta, server, ingestLines);

    const rss = [];
    for (const engine of ENGINES) {
      log(`RSS over ${rssMinutes} min at ${rssRate} req/s: ${engine}`);
      rss.push(await runRss(group, repoRoot, server, pin, engine, rssRate, rssMinutes, 10_000, log));
    }

    const result: LoadBenchResult = { date: new Date().toISOString(), machine, maxRate, wrk: { connections, rps: wrk.rps, p99Ms: wrk.p99Ms }, overload, cpu, rss, ingest };
    await saveBenchResult(repoRoot, 'load', result);
    const command = `npm run bench:load   # = node --import tsx bench/load/run.ts --rss-minutes ${rssMinutes} --rss-rate ${rssRate} --ingest-lines ${ingestLines} --probe-seconds ${probeMs / 1000}`;
    await publishSection(repoRoot, '## Load engines', renderLoadSection(result, command));
  } finally {
    process.off('SIGINT', stop);
    await group.stopAll(1000);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
