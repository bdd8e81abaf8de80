/**
 * Linear-time bench of `mesh-exp validate` (issue 18): `node --import tsx bench/input-scale/run.ts
 * [--rounds 5] [--sizes 1000,4000,10000,20000,40000] [--busy]`. Times whole processes on files with
 * N unknown keys, N duplicate keys and N problems in a list, against the yaml library parsing the
 * same file (the floor), round by round; replaces the section of BENCHMARKS.md and keeps the raw
 * figures in bench/results/input-scale.json. `--busy` marks the figures as taken while other work
 * ran. A benchmark, not a test: nothing asserts.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo } from '../proxy/machine-info.js';
import { SHAPES, wideExperiment } from './generate.js';
import { measureOnce, type Sample } from './measure.js';
import { INPUT_SCALE_HEADING, renderScaleSection, type ScaleBenchResult, type ScaleRow } from './report.js';

const COMMAND = 'npm run build && npm run bench:input   # = node --import tsx bench/input-scale/run.ts --rounds 5';
// The floor: the same file through the yaml library alone, as mesh-exp parses it (uniqueKeys off).
const FLOOR_SCRIPT = "import {parseDocument} from 'yaml'; import {readFileSync} from 'node:fs'; parseDocument(readFileSync(process.argv[1], 'utf8'), {uniqueKeys: false}).toJS();";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, sizes: { type: 'string', default: '1000,4000,10000,20000,40000' }, busy: { type: 'boolean', default: false } } });
  const rounds = Number(process.env['MESH_EXP_BENCH_ROUNDS'] ?? values.rounds);
  const sizes = values.sizes.split(',').map(Number);
  if (!Number.isInteger(rounds) || rounds < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--rounds and --sizes take whole numbers ≥ 1');
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  await access(join(repoRoot, 'dist', 'cli', 'main.js')).catch(() => {
    throw new Error('dist/ is missing: run `npm run build` first (bin/mesh-exp.js runs the compiled CLI)');
  });
  const dir = await mkdtemp(join(tmpdir(), 'mesh-exp-input-scale-'));
  await cp(join(repoRoot, 'experiments', 'manifests'), join(dir, 'manifests'), { recursive: true });
  const base = await readFile(join(repoRoot, 'experiments', 'canary.yaml'), 'utf8');
  const node = process.execPath;
  // mesh-exp runs from the repository (bin/ and dist/); the floor too, so 'yaml' resolves from its node_modules.
  const ours = (file: string) => measureOnce([node, 'bin/mesh-exp.js', 'validate', file], repoRoot, dir, [0, 2]);
  const floor = (file: string) => measureOnce([node, '--input-type=module', '-e', FLOOR_SCRIPT, file], repoRoot, dir, [0]);
  const both = async (file: string, into: { ours: Sample[]; floor: Sample[] }, round: number) => {
    // Alternate which goes first, so drift on the machine hits both alike.
    const pair = round % 2 === 0 ? [ours, floor] : [floor, ours];
    const [a, b] = [await pair[0]!(file), await pair[1]!(file)];
    into.ours.push(round % 2 === 0 ? a : b);
    into.floor.push(round % 2 === 0 ? b : a);
  };

  const files = [{ shape: undefined, n: 0, file: join(dir, 'base.yaml') }, ...SHAPES.flatMap((shape) => sizes.map((n) => ({ shape, n, file: join(dir, `${shape}-${n}.yaml`) })))];
  await writeFile(files[0]!.file, base);
  for (const f of files.slice(1)) await writeFile(f.file, wideExperiment(base, f.shape!, f.n));
  const cpu = await collectCpuInfo();
  const baseline = { ours: [] as Sample[], floor: [] as Sample[] };
  const rows: ScaleRow[] = files.slice(1).map((f) => ({ shape: f.shape!, n: f.n, bytes: Buffer.byteLength(wideExperiment(base, f.shape!, f.n)), ours: [], floor: [] }));
  log(`timing ${files.length} files × 2 commands, ${rounds} rounds ...`);
  await both(files[0]!.file, { ours: [], floor: [] }, 0); // warm-up: page cache, compiled dist/
  for (let round = 0; round < rounds; round++) {
    await both(files[0]!.file, baseline, round);
    for (const [i, row] of rows.entries()) await both(files[i + 1]!.file, row, round);
    log(`  ${round + 1}/${rounds} rounds`);
  }
  await rm(dir, { recursive: true, force: true });
  const result: ScaleBenchResult = {
    date: new Date().toISOString(),
    machine: { ...cpu, node: process.version },
    rounds,
    shown: { ours: 'node bin/mesh-exp.js validate <file>', floor: "node -e \"yaml.parseDocument(<file>, {uniqueKeys: false}).toJS()\"" },
    baseline,
    rows,
  };
  await saveBenchResult(repoRoot, 'input-scale', result);
  await publishSection(repoRoot, INPUT_SCALE_HEADING, renderScaleSection(result, COMMAND, values.busy));
}

await main();
