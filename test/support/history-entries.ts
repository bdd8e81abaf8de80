/**
 * Index entries for the history tests: a valid entry with overrides, and seeded latencies and
 * error counts, so regression tests run on data drawn from known distributions.
 */
import { weightedFromValues } from '../../src/analysis/stats/weighted-sample.js';
import type { HistoryEntry, VersionFigures } from '../../src/history/entry-schema.js';
import { compactLatency } from '../../src/history/latency-buckets.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/** Figures of one version. */
export function figures(version: string, over: Partial<VersionFigures> = {}): VersionFigures {
  return { version, count: 1000, errors: 10, errorRate: 0.01, p50: 20, p99: 80, ...over };
}

/** A valid entry of experiment `experiment` started at `startedAt`, with `over` applied. */
export function historyEntry(experiment: string, startedAt: number, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    schemaVersion: 1,
    runDir: `${experiment}-${startedAt}`,
    experiment,
    startedAt,
    endedAt: startedAt + 60_000,
    durationMs: 60_000,
    outcome: 'promoted',
    exitCode: 0,
    steps: 2,
    checks: [{ name: 'canary-error-rate', verdict: 'pass', failedSteps: 0 }],
    lastStep: { label: 'canary 100%', stable: figures('v1'), canary: figures('v2') },
    overall: { stable: figures('v1'), canary: figures('v2') },
    ...over,
  };
}

/** `n` log-normal latencies (ms) with median `median` and log-sd `sigma`, from `random`. */
export function logNormalLatencies(random: () => number, n: number, median: number, sigma = 0.5): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // Box-Muller: one standard normal per pair of uniforms (1 − u keeps log's argument above 0).
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out.push(median * Math.exp(sigma * z));
  }
  return out;
}

/** Errors among `n` requests each failing with probability `p`. */
export function binomial(random: () => number, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
}

/** An entry whose canary's last step is `n` seeded requests: latencies scaled by `scale`, errors at `errorP`. */
export function seededRun(seed: number, startedAt: number, options: { n?: number; scale?: number; errorP?: number } = {}): HistoryEntry {
  const random = createSeededRandom(seed);
  const n = options.n ?? 500;
  const latencies = logNormalLatencies(random, n, 20 * (options.scale ?? 1));
  const errors = binomial(random, n, options.errorP ?? 0.01);
  const canary = compactLatency(weightedFromValues(latencies))!;
  const sorted = [...latencies].sort((a, b) => a - b);
  const v2 = figures('v2', { count: n, errors, errorRate: errors / n, p50: sorted[Math.floor(n / 2)]!, p99: sorted[Math.floor(n * 0.99)]! });
  return historyEntry('seeded', startedAt, { lastStep: { label: 'canary 100%', stable: figures('v1'), canary: v2 }, latency: { canary } });
}
