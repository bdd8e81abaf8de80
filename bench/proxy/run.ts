/**
 * Proxy benchmark entry point: `node --import tsx bench/proxy/run.ts [--quick] [--rounds N] [--latency-generator vegeta|builtin] [--mesh-from dist|src] [--mesh-module FILE] [--output FILE] [--mesh-cpu-prof DIR]`.
 * `--render-only FILE` re-renders a saved raw result. A full run replaces the `## Proxy` section of BENCHMARKS.md; `--quick` (3 s windows, a smoke
 * check) writes bench/results/proxy-quick.md instead unless `--output` says otherwise. The raw result
 * goes to bench/results/proxy-<full|quick>.json. This is a benchmark, not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSection } from './benchmarks-file.js';
import { LATENCY_GENERATORS, type LatencyGeneratorName } from './fixed-rate.js';
import { runProxyBench, type ProxyBenchResult } from './proxy-bench.js';
import { renderProxySection } from './report-markdown.js';

const USAGE = `usage: npm run bench:proxy -- [options]   (= node --import tsx bench/proxy/run.ts)

The local mesh against HAProxy (same split, same backends): throughput with wrk, added latency at
1000 req/s in interleaved rounds. A full run takes about 8 minutes and replaces "## Proxy" in
BENCHMARKS.md. Run it alone on the machine. Needs go, haproxy, wrk, taskset and vegeta
(scripts/provision-tools.sh installs vegeta into .tools/).

  --quick                       3 s windows, 3 rounds: a smoke check (bench/results/proxy-quick.md)
  --rounds N                    latency rounds (default 24; a verdict needs at least 6)
  --latency-generator NAME      vegeta (default: latency from the actual send) or builtin
  --mesh-from dist|src          where the mesh is loaded from (default dist, compiled first)
  --mesh-module FILE            benchmark another build of createLocalMesh
  --mesh-cpu-prof DIR           profile the mesh process (its throughput is then not comparable)
  --output FILE                 write the section there instead
  --render-only FILE            re-render a saved raw result (bench/results/proxy-*.json)
  -h, --help                    this text
`;

const QUICK_COMMAND = 'npm run bench:proxy -- --quick   # = node --import tsx bench/proxy/run.ts --quick';
const FULL_COMMAND = 'npm run bench:proxy   # = node --import tsx bench/proxy/run.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'mesh-from': { type: 'string', default: 'dist' },
      output: { type: 'string' },
      'mesh-module': { type: 'string' },
      'render-only': { type: 'string' },
      'mesh-cpu-prof': { type: 'string' },
      rounds: { type: 'string' },
      'latency-generator': { type: 'string', default: 'vegeta' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const repoRootEarly = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  if (values['render-only']) {
    // Re-renders a saved raw result (e.g. after a change to the report) without measuring again.
    const saved = JSON.parse(await readFile(resolve(values['render-only']), 'utf8')) as ProxyBenchResult;
    const section = renderProxySection(saved, saved.quick ? QUICK_COMMAND : FULL_COMMAND);
    await writeSection(values.output ? resolve(values.output) : join(repoRootEarly, 'BENCHMARKS.md'), '## Proxy', section);
    process.stdout.write(`${section}\n`);
    return;
  }
  const meshFrom = values['mesh-from'];
  if (meshFrom !== 'dist' && meshFrom !== 'src') throw new Error(`--mesh-from must be dist or src, not ${meshFrom}`);
  const latencyGenerator = values['latency-generator'] as LatencyGeneratorName;
  if (!LATENCY_GENERATORS.includes(latencyGenerator)) throw new Error(`--latency-generator must be ${LATENCY_GENERATORS.join(' or ')}, not ${latencyGenerator}`);
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 2)) throw new Error(`--rounds must be an integer >= 2 (and >= 6 for a verdict: the median's 95% interval needs them), not ${values.rounds}`);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);

  // Pin this process (the fixed-rate generator) to the load CPU before anything starts; children
  // inherit it unless pinned otherwise. All threads (-a): libuv's and V8's too.
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch {
    log('warning: could not pin the harness to CPU 1 (taskset missing or a 1-CPU machine)');
  }

  const controller = new AbortController();
  for (const s of ['SIGINT', 'SIGTERM'] as const) {
    process.on(s, () => {
      log(`\n${s}: stopping every process the benchmark started`);
      controller.abort();
    });
  }

  const result = await runProxyBench({
    repoRoot,
    quick: values.quick,
    meshFrom,
    latencyGenerator,
    ...(rounds === undefined ? {} : { rounds }),
    ...(values['mesh-module'] ? { meshModule: resolve(values['mesh-module']) } : {}),
    ...(values['mesh-cpu-prof'] ? { meshCpuProfileDir: resolve(values['mesh-cpu-prof']) } : {}),
    env: process.env,
    kill: (pid, sig) => process.kill(pid, sig),
    nodePath: process.execPath,
    nodeVersion: process.version,
    log,
    signal: controller.signal,
  });

  const command = values.quick ? QUICK_COMMAND : FULL_COMMAND;
  const section = renderProxySection(result, command);
  const resultsDir = join(repoRoot, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, `proxy-${values.quick ? 'quick' : 'full'}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const output = values.output ? resolve(values.output) : values.quick ? join(resultsDir, 'proxy-quick.md') : join(repoRoot, 'BENCHMARKS.md');
  await writeSection(output, '## Proxy', section);
  process.stdout.write(`${section}\n`);
  log(`wrote the "## Proxy" section to ${relative(process.cwd(), output) || output}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:proxy failed: ${err instanceof Error ? err.message : String(err)} (--help lists the options)\n`);
  process.exitCode = 1;
});
