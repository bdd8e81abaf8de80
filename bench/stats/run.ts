/**
 * Statistics benchmark entry point: `node --import tsx bench/stats/run.ts [--trials 1000] [--capture]`.
 * `--render-only bench/results/stats.json` re-renders a saved run. With --capture, first records real latency distributions on the local mesh (capture.ts, ~1 min);
 * then simulates A/A and 10%-regression trials at 100 / 1,000 / 10,000 requests per version for
 * each profile, writes bench/results/stats.json and replaces the `## Statistics` section of
 * BENCHMARKS.md. With --sequential, also the sequential figures (sequential-cases.ts; --sequential-trials,
 * default 200). A benchmark, not a test: nothing asserts.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { publishSection, saveBenchResult } from '../proxy/benchmarks-file.js';
import { collectCpuInfo } from '../proxy/machine-info.js';
import { captureProfile, saveProfile, type CapturedProfile } from './capture.js';
import { renderStatsSection, type StatsBenchResult, type StatsRow } from './report.js';
import { runSequentialCases, type SequentialRow } from './sequential-cases.js';
import { simulate } from './simulate.js';

const COMMAND = 'npm run bench:stats -- --trials 1000 --sequential --sequential-trials 300   # = node --import tsx bench/stats/run.ts …';
const PROFILES = ['fast', 'tail'];
const SIZES = [100, 1000, 10_000];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '1000' },
      capture: { type: 'boolean', default: false },
      'render-only': { type: 'string' },
      // The sequential figures (issue 22): A/A with the fixed tests peeked every second costs ~0.7 s a trial.
      sequential: { type: 'boolean', default: false },
      'sequential-trials': { type: 'string', default: '200' },
    },
  });
  if (values['render-only']) {
    // Re-render a saved run (e.g. after a wording change) without simulating again.
    const saved = JSON.parse(await readFile(values['render-only'], 'utf8')) as StatsBenchResult;
    await publishSection(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), '## Statistics', renderStatsSection(saved, COMMAND));
    return;
  }
  const trials = Number(values.trials);
  if (!(Number.isInteger(trials) && trials > 0)) throw new Error(`--trials wants a positive integer, got ${values.trials}`);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const loadAtStart = loadavg()[0]!;
  const log = (msg: string) => void process.stderr.write(`${msg}\n`);
  const profiles: CapturedProfile[] = [];
  for (const name of PROFILES) {
    if (values.capture) {
      log(`capturing ${name} on the local mesh (30 s) ...`);
      log(`  wrote ${await saveProfile(repoRoot, await captureProfile(repoRoot, name))}`);
    }
    profiles.push(JSON.parse(await readFile(join(repoRoot, 'bench', 'stats', 'data', `${name}.json`), 'utf8')) as CapturedProfile);
  }
  const rows: StatsRow[] = [];
  for (const p of profiles) {
    // The stable's requests are the population; the canary's (same backend settings) would do as well.
    const population = p.latenciesMs['v1'] ?? [];
    if (population.length < 1000) throw new Error(`profile ${p.profile} holds only ${population.length} stable latencies; re-run with --capture`);
    for (const n of SIZES) {
      const seed = n * 7 + p.profile.length;
      const aa = simulate(population, { n, slowdown: 1, trials, seed });
      const scaled = simulate(population, { n, slowdown: 1.1, trials, seed: seed + 1 });
      const shifted = simulate(population, { n, slowdown: 1, addMs: 0.1 * quantile(population, 0.5), trials, seed: seed + 2 });
      log(
        `${p.profile} n=${n}: detection scaled ${scaled.relativeAlarms}/${trials} (naive ${scaled.naiveAlarms}), shifted ${shifted.relativeAlarms}/${trials} (naive ${shifted.naiveAlarms}); ` +
          `A/A alarms ${aa.relativeAlarms}/${trials} (naive ${aa.naiveAlarms})`,
      );
      rows.push({ profile: p.profile, n, aa, scaled, shifted });
    }
  }
  const sequential: SequentialRow[] = [];
  if (values.sequential) {
    const seqTrials = Number(values['sequential-trials']);
    if (!(Number.isInteger(seqTrials) && seqTrials > 0)) throw new Error(`--sequential-trials wants a positive integer, got ${values['sequential-trials']}`);
    for (const p of profiles) {
      log(`${p.profile}: sequential cases, ${seqTrials} trials each ...`);
      sequential.push(...runSequentialCases(p.profile, p.latenciesMs['v1']!, seqTrials, 1000 + p.profile.length));
    }
  }
  const machine = { ...(await collectCpuInfo()), node: process.version };
  const result: StatsBenchResult = {
    date: new Date().toISOString(),
    machine: { nproc: machine.nproc, cpuModel: machine.cpuModel, node: machine.node, loadAverage: { start: loadAtStart, end: loadavg()[0]! } },
    profiles: profiles.map((p) => {
      const v1 = p.latenciesMs['v1']!;
      return {
        profile: p.profile,
        description: p.description,
        capturedAt: p.capturedAt,
        counts: Object.fromEntries(Object.entries(p.latenciesMs).map(([v, l]) => [v, l.length])),
        medianMs: quantile(v1, 0.5),
        p99Ms: quantile(v1, 0.99),
      };
    }),
    rows,
    ...(sequential.length ? { sequential } : {}),
  };
  await saveBenchResult(repoRoot, 'stats', result);
  await publishSection(repoRoot, '## Statistics', renderStatsSection(result, COMMAND));
}

await main();
