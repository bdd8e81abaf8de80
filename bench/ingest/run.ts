/**
 * Ingest benchmark entry point: `node --import tsx bench/ingest/run.ts [--lines 5000000,10000000]`.
 * For each size: synthesize a k6 JSON file in a temp dir, time `cat` (the read bound), our ingest
 * (a child process, for its own peak RSS) and `jq`, delete the file; then replace the `## Ingest`
 * section of BENCHMARKS.md and keep the raw figures in bench/results/ingest.json.
 * A benchmark, not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo, firstLine } from '../proxy/machine-info.js';
import { generateK6JsonFile } from './generate.js';
import type { IngestChildResult } from './ingest-child.js';
import { measure } from './measure.js';
import { renderIngestSection, type IngestBenchResult, type IngestRound } from './report.js';

const COMMAND = 'npm run bench:ingest   # = node --import tsx bench/ingest/run.ts --lines 5000000,10000000';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '5000000,10000000' } } });
  const sizes = values.lines.split(',').map(Number);
  if (sizes.some((n) => !(n > 0))) throw new Error(`--lines wants positive numbers, got ${values.lines}`);
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('jq is not on PATH (apt-get install -y jq)');
  }
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  const machine = { ...(await collectCpuInfo()), node: process.version, jq: await firstLine(['jq', '--version'], process.env) };
  const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-ingest-bench-'));
  const rounds: IngestRound[] = [];
  try {
    for (const lines of sizes) {
      const data = join(dir, 'k6.json');
      log(`generating ${lines} lines ...`);
      const file = await generateK6JsonFile(data, { lines });
      log(`  ${(file.bytes / 2 ** 20).toFixed(0)} MiB; cat, ours, jq ...`);
      await measure(`cat ${data} > /dev/null`, dir, repoRoot);
      const cat = await measure(`cat ${data} > /dev/null`, dir, repoRoot);
      const oursRun = await measure(`node --import tsx bench/ingest/ingest-child.ts ${data}`, dir, repoRoot);
      const ours = { ...oursRun, child: JSON.parse(oursRun.stdout) as IngestChildResult };
      const jqRun = await measure(`jq -c 'select(.metric=="http_req_duration")' ${data} | wc -l`, dir, repoRoot);
      const jq = { ...jqRun, matched: Number(jqRun.stdout.trim()) };
      log(`  cat ${cat.wallMs.toFixed(0)} ms, ours ${ours.wallMs.toFixed(0)} ms (${(ours.maxRssKiB / 1024).toFixed(0)} MB), jq ${jq.wallMs.toFixed(0)} ms`);
      const clean = <T extends { command: string }>(m: T) => ({ ...m, command: m.command.replaceAll(data, 'FILE'), stdout: '' });
      rounds.push({ file, ours: clean(ours), jq: clean(jq), cat: clean(cat) });
      await rm(data, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const result: IngestBenchResult = { date: new Date().toISOString(), machine, rounds };
  await saveBenchResult(repoRoot, 'ingest', result);
  await publishSection(repoRoot, '## Ingest', renderIngestSection(result, COMMAND));
}

await main();
