/**
 * The data the trend page's charts draw, per experiment: one point per run (x = the run's number
 * in the experiment's history, oldest first), the stable's and canary's p50 and p99 and error rate
 * over each run's last step, the run's duration, and what marks each run (outcome, regression).
 * Embedded in the page as JSON; pure, so the same history gives the same bytes. The stable's
 * figures are over the whole run: a canary's last step is often at 100%, where the stable serves
 * nothing.
 */
import { experimentNames } from '../../history/filter.js';
import type { HistoryEntry, VersionFigures } from '../../history/entry-schema.js';
import type { RegressionCheck } from '../../history/regression.js';
import { outcomeLook } from '../present.js';

/** One run's marker. */
export interface TrendRun {
  /** "good", "bad" or "warn", from the outcome. */
  tone: string;
  /** Outcome label, e.g. "ROLLED BACK". */
  outcome: string;
  /** Start time, ISO 8601 UTC. */
  started: string;
  /** Whether the regression test flagged the run against the one before it. */
  regressed: boolean;
  /** Game-day name, or "". */
  gameDay: string;
}

/** One experiment's series. */
export interface TrendSeries {
  /** Experiment name. */
  name: string;
  /** Element id prefix of its charts. */
  id: string;
  /** Run numbers 1..n. */
  x: number[];
  /** One entry per run. */
  runs: TrendRun[];
  /** The stable's median latency over each run, ms (null: no data). */
  stableP50: (number | null)[];
  /** The stable's p99 over each run, ms. */
  stableP99: (number | null)[];
  /** The canary's median latency over each run's last step, ms. */
  canaryP50: (number | null)[];
  /** The canary's p99 over each run's last step, ms. */
  canaryP99: (number | null)[];
  /** The stable's error rate over each run, percent. */
  stableErrors: (number | null)[];
  /** The canary's error rate over each run's last step, percent. */
  canaryErrors: (number | null)[];
  /** Duration of each run, seconds. */
  duration: number[];
}

/** The embedded data. */
export interface TrendData {
  /** Per experiment, in order of its first run. */
  experiments: TrendSeries[];
}

const pct = (f: VersionFigures | undefined) => (f?.errorRate === null || f?.errorRate === undefined ? null : 100 * f.errorRate);

/** Builds the chart data of `entries` (oldest first). */
export function buildTrendData(entries: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>): TrendData {
  return {
    experiments: experimentNames(entries).map((name, i) => {
      const runs = entries.filter((e) => e.experiment === name);
      const last = (pick: (e: HistoryEntry) => number | null | undefined) => runs.map((e) => pick(e) ?? null);
      return {
        name,
        id: `exp-${i}`,
        x: runs.map((_, n) => n + 1),
        runs: runs.map((e) => ({
          tone: outcomeLook(e.outcome).tone,
          outcome: outcomeLook(e.outcome).label + (e.aa ? ' (A/A)' : '') + (e.partial ? ' (partial)' : ''),
          started: new Date(e.startedAt).toISOString(),
          regressed: regressions.get(e)?.regressed ?? false,
          gameDay: e.gameDay?.name ?? '',
        })),
        stableP50: last((e) => e.overall.stable.p50),
        stableP99: last((e) => e.overall.stable.p99),
        canaryP50: last((e) => e.lastStep?.canary.p50),
        canaryP99: last((e) => e.lastStep?.canary.p99),
        stableErrors: last((e) => pct(e.overall.stable)),
        canaryErrors: last((e) => pct(e.lastStep?.canary)),
        duration: runs.map((e) => e.durationMs / 1000),
      };
    }),
  };
}
