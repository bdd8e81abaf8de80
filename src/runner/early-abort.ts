/**
 * Early abort (analysis.abortWhen): conditions written like error-rate/latency SLOs, checked on
 * the step's requests so far at every tick of the load window. The first one broken stops the
 * step at once; its check is marked critical, so the decision is a rollback whatever the
 * threshold says.
 */
import { checkName, evaluateChecks } from '../analysis/evaluate.js';
import type { AbortConditionSpec } from '../experiment/schema.js';
import type { CheckResult, VersionStats } from '../model/result.js';

/** Options of {@link createEarlyAbort}. */
export interface EarlyAbortOptions {
  /** The conditions (analysis.abortWhen). */
  conditions: readonly AbortConditionSpec[];
  /** Subset names and the sample minimum, as for the step's checks. */
  stable: string;
  /** Canary subset name. */
  canary: string;
  /** A condition is only judged once its subject has this many requests. */
  minSamples: number;
}

/** Watches one step. */
export interface EarlyAbort {
  /** Aborts when a condition trips; combine with the run's signal for the load. */
  readonly signal: AbortSignal;
  /** Judges the conditions on the step's stats so far; trips (once) on the first failure. */
  check(stats: readonly VersionStats[]): void;
  /** The failed condition as a critical check, once tripped. */
  readonly tripped: CheckResult | undefined;
}

/** Creates the watcher of a step (inert when there are no conditions). */
export function createEarlyAbort(options: EarlyAbortOptions): EarlyAbort {
  const controller = new AbortController();
  let tripped: CheckResult | undefined;
  const { conditions, stable, canary, minSamples } = options;
  return {
    signal: controller.signal,
    get tripped() {
      return tripped;
    },
    check(stats) {
      if (tripped || conditions.length === 0) return;
      const checks = evaluateChecks(conditions, stats, { stable, canary, minSamples });
      const i = checks.findIndex((c) => c.verdict === 'fail');
      if (i < 0) return;
      const failed = checks[i]!;
      tripped = {
        ...failed,
        name: conditions[i]!.name ?? `early-abort-${checkName(conditions[i]!)}`,
        critical: true,
        message: `early abort: ${failed.message}`,
      };
      controller.abort(new Error(tripped.message));
    },
  };
}
