/**
 * A run's index line, built from its result alone (plus, for a run that finished itself, the
 * latency distributions its steps were judged on), so `mesh-exp run` and `mesh-exp recover` write
 * the same kind of line.
 */
import path from 'node:path';
import type { WeightedSample } from '../analysis/stats/weighted-sample.js';
import type { RunResult, StepResult, VersionStats } from '../model/result.js';
import type { HistoryEntry, VersionFigures } from './entry-schema.js';
import { compactLatency, mergeSamples, sampleQuantile } from './latency-buckets.js';

/** Each step's latency distributions by version (what the step's relative SLOs ranked). */
export type StepDistributions = ReadonlyMap<number, ReadonlyMap<string, WeightedSample>>;

/** What an entry is built from. */
export interface EntryInput {
  /** The run's result. */
  result: RunResult;
  /** Absolute run directory. */
  runDir: string;
  /** Absolute reports root (where index.jsonl lives). */
  reportsRoot: string;
  /** The game day the run belongs to. @default none */
  gameDay?: { name: string; dir: string };
  /** Per-step distributions. @default none (partial runs: overall percentiles and the regression test's buckets are then absent) */
  distributions?: StepDistributions;
}

/** The stable's and canary's names: from the experiment as run, or the A/A halves. */
export function versionNames(result: RunResult): { stable: string; canary: string } {
  const target = (result.experiment as { spec?: { target?: { stable?: unknown; canary?: unknown } } } | null)?.spec?.target;
  const stable = typeof target?.stable === 'string' ? target.stable : 'stable';
  const canary = typeof target?.canary === 'string' ? target.canary : 'canary';
  // A/A runs judge the stable's two random halves under these names (runner/aa-mode.ts, aaGroups).
  return result.aa ? { stable: `${stable}:A`, canary: `${stable}:B` } : { stable, canary };
}

const posix = (p: string) => p.split(path.sep).join('/');

function figures(version: string, stats: readonly VersionStats[]): VersionFigures {
  const s = stats.find((v) => v.version === version);
  return { version, count: s?.count ?? 0, errors: s?.errors ?? 0, errorRate: s?.errorRate ?? null, p50: s?.latency.p50 ?? null, p99: s?.latency.p99 ?? null };
}

function overallFigures(version: string, steps: readonly StepResult[], distributions: StepDistributions | undefined): VersionFigures {
  const per = steps.map((s) => figures(version, s.stats));
  const count = per.reduce((a, f) => a + f.count, 0);
  const errors = per.reduce((a, f) => a + f.errors, 0);
  const samples = distributions ? steps.flatMap((s) => distributions.get(s.index)?.get(version) ?? []) : [];
  const merged = samples.length === steps.length && samples.length > 0 ? mergeSamples(samples) : undefined;
  const quantile = (q: number) => (merged ? sampleQuantile(merged, q) : null);
  return { version, count, errors, errorRate: count > 0 ? errors / count : null, p50: quantile(0.5), p99: quantile(0.99) };
}

function checkSummaries(steps: readonly StepResult[]): HistoryEntry['checks'] {
  const byName = new Map<string, HistoryEntry['checks'][number]>();
  for (const step of steps) {
    for (const c of step.checks) {
      const seen = byName.get(c.name) ?? { name: c.name, verdict: c.verdict, failedSteps: 0 };
      byName.set(c.name, { name: c.name, verdict: c.verdict, failedSteps: seen.failedSteps + (c.verdict === 'fail' ? 1 : 0) });
    }
  }
  return [...byName.values()];
}

/** Builds the index line of a run. */
export function buildHistoryEntry(input: EntryInput): HistoryEntry {
  const { result } = input;
  const names = versionNames(result);
  const last = result.steps.at(-1);
  const lastDistributions = last ? input.distributions?.get(last.index) : undefined;
  const stableBuckets = lastDistributions?.get(names.stable) && compactLatency(lastDistributions.get(names.stable)!);
  const canaryBuckets = lastDistributions?.get(names.canary) && compactLatency(lastDistributions.get(names.canary)!);
  return {
    schemaVersion: 1,
    runDir: posix(path.relative(input.reportsRoot, input.runDir)) || '.',
    experiment: result.name,
    ...(input.gameDay ? { gameDay: { name: input.gameDay.name, dir: posix(path.relative(input.reportsRoot, path.resolve(input.reportsRoot, input.gameDay.dir))) || '.' } } : {}),
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    durationMs: Math.max(0, result.endedAt - result.startedAt),
    outcome: result.outcome,
    exitCode: result.exitCode,
    ...(result.aa ? { aa: true as const } : {}),
    ...(result.partial ? { partial: true as const } : {}),
    steps: result.steps.length,
    checks: checkSummaries(result.steps),
    lastStep: last ? { label: last.label, stable: figures(names.stable, last.stats), canary: figures(names.canary, last.stats) } : null,
    overall: { stable: overallFigures(names.stable, result.steps, input.distributions), canary: overallFigures(names.canary, result.steps, input.distributions) },
    ...(stableBuckets || canaryBuckets ? { latency: { ...(stableBuckets ? { stable: stableBuckets } : {}), ...(canaryBuckets ? { canary: canaryBuckets } : {}) } } : {}),
  };
}
