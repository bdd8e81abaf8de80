/**
 * The SLO evaluators keyed by kind. Adding a kind = one file under `evaluators/` plus one entry
 * in {@link defaultEvaluators} (and its schema in src/spec/schema.ts).
 */
import { RuntimeError } from '../errors.js';
import { errorRateEvaluator } from './evaluators/error-rate.js';
import { latencyEvaluator } from './evaluators/latency.js';
import { prometheusEvaluator } from './evaluators/prometheus.js';
import { relativeErrorRateEvaluator } from './evaluators/relative-error-rate.js';
import { relativeLatencyEvaluator } from './evaluators/relative-latency.js';
import type { SloEvaluator } from './types.js';

/** Evaluators by SLO kind. */
export type EvaluatorRegistry = ReadonlyMap<string, AnyEvaluator>;

/**
 * An evaluator with its SLO type erased. Evaluator methods are declared as methods (bivariant
 * parameters), so a `SloEvaluator<LatencySlo>` fits; lookups by `slo.kind` restore the pairing.
 */
export type AnyEvaluator = SloEvaluator<{ kind: string }>;

/** Builds a registry from evaluators; a kind given twice is a programming error. */
export function createEvaluatorRegistry(evaluators: readonly AnyEvaluator[]): EvaluatorRegistry {
  const map = new Map<string, AnyEvaluator>();
  for (const e of evaluators) {
    if (map.has(e.kind)) throw new Error(`two SLO evaluators for kind "${e.kind}"`);
    map.set(e.kind, e);
  }
  return map;
}

/** The built-in evaluators: latency, error-rate, prometheus, relative-latency and relative-error-rate. */
export const defaultEvaluators: EvaluatorRegistry = createEvaluatorRegistry([
  latencyEvaluator,
  errorRateEvaluator,
  prometheusEvaluator,
  relativeLatencyEvaluator,
  relativeErrorRateEvaluator,
]);

/** The evaluator of `kind`; throws a RuntimeError naming the known kinds when there is none. */
export function getEvaluator(kind: string, registry: EvaluatorRegistry = defaultEvaluators): AnyEvaluator {
  const evaluator = registry.get(kind);
  if (!evaluator) {
    throw new RuntimeError(`no evaluator for SLO kind "${kind}"`, {
      hint: `known kinds: ${[...registry.keys()].join(', ')}`,
    });
  }
  return evaluator;
}

/**
 * Formats a check's value or threshold by its kind ("412ms", "4.10%"); unknown kinds print the
 * number as is. Reports and summaries use this so they read like the check messages.
 */
export function formatCheckValue(kind: string, value: number, registry: EvaluatorRegistry = defaultEvaluators): string {
  const evaluator = registry.get(kind);
  return evaluator ? evaluator.formatValue(value) : String(Number(value.toPrecision(6)));
}
