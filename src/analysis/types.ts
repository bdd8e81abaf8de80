/**
 * The SLO-evaluator extension point: one evaluator per SLO `kind`, kept in a registry keyed by
 * kind, so new kinds (prometheus, relative) slot in as one file each under `evaluators/`.
 */
import type { CheckResult, VersionStats } from '../model/result.js';
import type { MetricMeasurement } from '../metrics/measure.js';
import type { SloSpec } from '../experiment/schema.js';
import type { WeightedSample } from './stats/weighted-sample.js';

/** Which subsets are which, and how much data a verdict needs. */
export interface CheckOptions {
  /** Subset name of the stable version (matches `VersionStats.version`), e.g. "v1". */
  stable: string;
  /** Subset name of the canary version (matches `VersionStats.version`), e.g. "v2". */
  canary: string;
  /** Fewer samples than this make a check "no-data" (never a pass). */
  minSamples: number;
}

/** What an evaluator sees: the whole window's stats (relative kinds compare two versions). */
export interface EvaluationInput {
  /** Stats of the window, one entry per version plus "all" (and "unknown" when some had no version). */
  stats: readonly VersionStats[];
  /** Subset names and the sample minimum. */
  options: CheckOptions;
  /**
   * Latency distributions of the window by version (histogram buckets, ms), for relative SLOs.
   * @default none (relative latency checks then have no data)
   */
  distributions?: ReadonlyMap<string, WeightedSample>;
  /** What metric sources measured for the SLOs that query them (kind prometheus), by SLO. @default none */
  measurements?: ReadonlyMap<SloSpec, MetricMeasurement>;
}

/** Judges one kind of SLO. */
export interface SloEvaluator<S extends { kind: string } = SloSpec> {
  /** The SLO `kind` it handles, e.g. "latency". */
  readonly kind: S['kind'];
  /** Name used when the SLO has none, e.g. "canary-latency-p99". */
  defaultName(slo: S): string;
  /** Judges the SLO over the window. */
  evaluate(slo: S, input: EvaluationInput): CheckResult;
  /** Formats a value (or threshold) of this kind for people, e.g. "412ms" or "4.10%". */
  formatValue(value: number): string;
}
