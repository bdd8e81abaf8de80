/**
 * The SLO evaluators keyed by kind. Adding a kind = one file under `evaluators/` plus one entry
 * in {@link defaultEvaluators} (and its schema in src/experiment/schema.ts).
 */
import { createRegistry, type Registry } from '../registry.js';
import { ejectionsEvaluator } from './evaluators/ejections.js';
import { errorRateEvaluator } from './evaluators/error-rate.js';
import { latencyEvaluator } from './evaluators/latency.js';
import { prometheusEvaluator } from './evaluators/prometheus.js';
import { relativeErrorRateEvaluator } from './evaluators/relative-error-rate.js';
import { relativeLatencyEvaluator } from './evaluators/relative-latency.js';
import { responseFlagEvaluator } from './evaluators/response-flag.js';
import { retrySuccessRateEvaluator } from './evaluators/retry-success-rate.js';
import type { SloEvaluator } from './types.js';
import { formatEValue } from './format.js';

/** Evaluators by SLO kind (the shared registry rules of `src/registry.ts`). */
export type EvaluatorRegistry = Registry<AnyEvaluator>;

/**
 * An evaluator with its SLO type erased. Evaluator methods are declared as methods (bivariant
 * parameters), so a `SloEvaluator<LatencySlo>` fits; lookups by `slo.kind` restore the pairing.
 */
export type AnyEvaluator = SloEvaluator<{ kind: string }>;

/** Builds a registry from evaluators, each under its kind; a kind given twice throws. */
export function createEvaluatorRegistry(evaluators: readonly AnyEvaluator[]): EvaluatorRegistry {
  const registry = createRegistry<AnyEvaluator>({ kind: 'SLO kind', plural: 'kinds' });
  for (const e of evaluators) registry.register(e.kind, e);
  return registry;
}

/** The built-in evaluators: latency, error-rate, prometheus, relative-latency, relative-error-rate, and the mesh-view kinds response-flag, ejections and retry-success-rate. */
export const defaultEvaluators: EvaluatorRegistry = createEvaluatorRegistry([
  latencyEvaluator,
  errorRateEvaluator,
  prometheusEvaluator,
  relativeLatencyEvaluator,
  relativeErrorRateEvaluator,
  responseFlagEvaluator,
  ejectionsEvaluator,
  retrySuccessRateEvaluator,
]);

/** The evaluator of `kind`; a UsageError (exit 2) with a "did you mean" hint when there is none. */
export function getEvaluator(kind: string, registry: EvaluatorRegistry = defaultEvaluators): AnyEvaluator {
  return registry.get(kind);
}

/** `CheckResult.kind` of a sequential test's check (src/runner/sequential-explain.ts). */
export const SEQUENTIAL_CHECK_KIND = 'sequential';

/**
 * Formats a check's value or threshold by its kind ("412ms", "4.10%"); unknown kinds print the
 * number as is. Reports and summaries use this so they read like the check messages.
 */
export function formatCheckValue(kind: string, value: number, registry: EvaluatorRegistry = defaultEvaluators): string {
  // A sequential test's check (analysis.mode: sequential) is no SLO kind: its value and threshold are e-values.
  if (kind === SEQUENTIAL_CHECK_KIND) return formatEValue(value);
  const evaluator = registry.find(kind);
  return evaluator ? evaluator.formatValue(value) : String(Number(value.toPrecision(6)));
}
