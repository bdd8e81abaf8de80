/**
 * Judges every SLO of the experiment over one window's stats. Pure: no I/O, no clock.
 */
import type { CheckResult, VersionStats } from '../model/result.js';
import type { SloSpec } from '../experiment/schema.js';
import { defaultEvaluators, getEvaluator, type EvaluatorRegistry } from './registry.js';
import type { CheckOptions, EvaluationInput } from './types.js';

/** Options of {@link evaluateChecks}. */
export interface EvaluateOptions extends CheckOptions {
  /** Evaluators by SLO kind. @default the built-in latency, error-rate and prometheus evaluators */
  evaluators?: EvaluatorRegistry;
  /** Measurements of the SLOs that query a metric source, by SLO. @default none */
  measurements?: EvaluationInput['measurements'];
  /** Latency distributions by version, for relative SLOs. @default none */
  distributions?: EvaluationInput['distributions'];
}

/**
 * Judges each SLO against the window's stats, one CheckResult per SLO in spec order.
 *
 * - Subject "canary" is judged on the stats entry whose `version` equals `options.canary`,
 *   "stable" on `options.stable`, "all" on the entry with version "all".
 * - Requests with version "unknown" (no version header came back: connection errors, timeouts,
 *   aborts before a backend) cannot be attributed to canary or stable; they count only in "all"
 *   (the stats producer must include them there). Messages of "all" checks say how many there were.
 * - Fewer than `options.minSamples` samples give verdict "no-data" (never a pass); a value equal
 *   to its threshold passes.
 *
 * @throws RuntimeError when an SLO has a kind no evaluator handles.
 */
export function evaluateChecks(slos: readonly SloSpec[], stats: readonly VersionStats[], options: EvaluateOptions): CheckResult[] {
  const registry = options.evaluators ?? defaultEvaluators;
  const { stable, canary, minSamples } = options;
  const { measurements, distributions } = options;
  const input: EvaluationInput = { stats, options: { stable, canary, minSamples }, ...(measurements ? { measurements } : {}), ...(distributions ? { distributions } : {}) };
  return slos.map((slo) => getEvaluator(slo.kind, registry).evaluate(slo, input));
}

/** The default name of an SLO ("canary-latency-p99") or its own name when it has one. */
export function checkName(slo: SloSpec, evaluators: EvaluatorRegistry = defaultEvaluators): string {
  return slo.name ?? getEvaluator(slo.kind, evaluators).defaultName(slo);
}
