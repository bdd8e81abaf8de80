/**
 * Ingest benchmark entry point:
 * `node --import tsx bench/ingest/run.ts [--lines 5000000,10000000] [--rounds 3] [--skip-build] [--output FILE]`.
 * Compiles dist/ (or with --skip-build checks it is fresh): the measured child runs the compiled
 * ingest, as `bin/mesh-exp.js` does. For each size: synthesize a k6 JSON file in a temp dir; time
 * `cat` (the read bound), our ingest (a child process, for its own peak RSS) and the same child on
 * an empty file (its fixed start-up), `--rounds` times each, and `jq` once; delete the file. Then
 * replaces the `## Ingest` section of BENCHMARKS.md (or writes it to --output) and keeps the raw
 * figures in bench/results/ingest.json. A benchmark, not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { saveBenchResult, writeSection } from '../proxy/benchmarks-file.js';
import { collectCpuInfo, firstLine } from '../proxy/machine-info.js';
import { ensureDist } from './dist.js';
import { generateK6JsonFile } from './generate.js';
import { measure } from './measure.js';
import { renderIngestSection, summarizeRound, type ChildRun, type IngestBenchResult, type IngestChildResult, type IngestRound } from './report.js';

const COMMAND = 'npm run bench:ingest   # = node --import tsx bench/ingest/run.ts --lines 5000000,10000000 --rounds 3';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '5000000,10000000' },
      rounds: { type: 'string', default: '3' },
      'skip-build': { type: 'boolean', default: false },
      output: { type: 'string' },
    },
  });
  const sizes = values.lines.split(',').map(Number);
  if (sizes.some((n) => !(n > 0))) throw new Error(`--lines wants positive numbers, got ${values.lines}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds wants a positive integer, got ${values.rounds}`);
  try {
    execFileSync('jq', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('jq is not on PATH (apt-get install -y jq)');
  }
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  const dist = await ensureDist(repoRoot, !values['skip-build'], log);
  const machine = { ...(await collectCpuInfo()), node: process.version, jq: await firstLine(['jq', '--version'], process.env) };
  const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-ingest-bench-'));
  const results: IngestRound[] = [];
  try {
    const empty = join(dir, 'empty.json');
    await writeFile(empty, '');
    const child = async (file: string): Promise<ChildRun> => {
      const run = await measure(`node bench/ingest/ingest-child.mjs ${file}`, dir, repoRoot);
      return { ...run, child: JSON.parse(run.stdout) as IngestChildResult };
    };
    for (const lines of sizes) {
      const data = join(dir, 'k6.json');
      log(`generating ${lines} lines ...`);
      const file = await generateK6JsonFile(data, { lines });
      log(`  ${(file.bytes / 2 ** 20).toFixed(0)} MiB; ${rounds} × (cat, ours, ours on an empty file), then jq ...`);
      // Unmeasured warm-up: the file in the page cache, dist/ and node in the cache too.
      await measure(`cat ${data} > /dev/null`, dir, repoRoot);
      await child(empty);
      const round: IngestRound = { file, cat: [], ours: [], empty: [], jq: { command: '', wallMs: 0, maxRssKiB: 0, stdout: '', matched: 0 } };
      for (let i = 0; i < rounds; i++) {
        round.cat.push(await measure(`cat ${data} > /dev/null`, dir, repoRoot));
        round.ours.push(await child(data));
        round.empty.push(await child(empty));
      }
      const jqRun = await measure(`jq -c 'select(.metric=="http_req_duration")' ${data} | wc -l`, dir, repoRoot);
      round.jq = { ...jqRun, matched: Number(jqRun.stdout.trim()) };
      const q = summarizeRound(round);
      log(`  medians: cat ${q.cat.toFixed(0)} ms, ours ${q.ours.toFixed(0)} ms (start-up ${q.empty.toFixed(0)} ms), ${q.ratio.toFixed(1)}× cat; jq ${round.jq.wallMs.toFixed(0)} ms`);
      const clean = <T extends { command: string }>(m: T) => ({ ...m, command: m.command.replaceAll(data, 'FILE').replaceAll(empty, 'EMPTY'), stdout: '' });
      results.push({ file, cat: round.cat.map(clean), ours: round.ours.map(clean), empty: round.empty.map(clean), jq: clean(round.jq) });
      await rm(data, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const result: IngestBenchResult = { date: new Date().toISOString(), machine, dist, rounds: results };
  await saveBenchResult(repoRoot, 'ingest', result);
  const section = renderIngestSection(result, COMMAND);
  const output = values.output ? resolve(values.output) : join(repoRoot, 'BENCHMARKS.md');
  await writeSection(output, '## Ingest', section);
  process.stdout.write(section);
  log(`wrote the "## Ingest" section to ${output}`);
}

await main();
