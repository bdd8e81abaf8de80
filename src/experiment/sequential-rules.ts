/**
 * Rules of `analysis.mode: sequential` (sequential-schema.ts), so that validate refuses what run
 * would not do:
 * - `promoteEarly: true` and `nonInferiority` belong to mode sequential; with mode fixed they would
 *   be ignored, so they are refused, at their field.
 * - Mode sequential tests the relative SLOs (relative-error-rate, relative-latency) and the canary's
 *   absolute error-rate (max above 0%), latency (p50 … p99.9) and Prometheus built-in
 *   (request-success-rate, request-duration) SLOs (`sequentialAlpha`); the
 *   others keep their check at the step's end. With none of them, nothing would be tested
 *   sequentially: an ERROR (a mode that silently does nothing reads as if it watched).
 * - The tests read the load generator's responses as they come: with live traffic (generator none)
 *   or in-cluster load (load.distributed) the run sees none during the step, so both are refused.
 */
import type { RuleInput, RuleProblem } from './rule-types.js';
import type { AnalysisSpec, SloSpec } from './schema.js';
import { DEFAULT_ABSOLUTE_CONFIDENCE } from './sequential-schema.js';

/** α = 1 − confidence, without the float noise of the subtraction (1 − 0.98 is 0.020000000000000018; 1/α would print 49.99…). */
export function alphaOf(confidence: number): number {
  return Number((1 - confidence).toPrecision(12));
}

/**
 * Whether a prometheus SLO of the canary gets a sequential test on Prometheus's counters: the
 * built-in request-success-rate with a min below 100% and above 0% (its share of 5xx against
 * 1 − min), or request-duration with a max above 0 ms (its share of requests slower than max
 * against 1%, p99). A custom query has no counters to read: its check stays at the step's end.
 */
export function prometheusTested(slo: SloSpec): boolean {
  if (slo.kind !== 'prometheus' || slo.subject !== 'canary') return false;
  if (slo.builtin === 'request-success-rate') return slo.min !== undefined && slo.min > 0 && slo.min < 100;
  return slo.builtin === 'request-duration' && slo.max !== undefined && slo.max > 0;
}

/** The false-alarm bound of an SLO's sequential test, or undefined when the SLO gets none (it is judged at the step's end only). */
export function sequentialAlpha(slo: SloSpec, analysis: Pick<AnalysisSpec, 'absoluteConfidence'>): number | undefined {
  if (slo.kind === 'relative-error-rate' || slo.kind === 'relative-latency') return alphaOf(slo.confidence);
  if (slo.subject !== 'canary') return undefined;
  const absolute = (slo.kind === 'error-rate' && slo.max > 0 && slo.max < 1) || (slo.kind === 'latency' && slo.percentile !== 'max') || prometheusTested(slo);
  return absolute ? alphaOf(analysis.absoluteConfidence ?? DEFAULT_ABSOLUTE_CONFIDENCE) : undefined;
}

const at = (key: string) => ['spec', 'analysis', key];

/** The problems of the analysis mode of a spec. */
export function sequentialRules({ spec, valid }: RuleInput): RuleProblem[] {
  const analysis = valid.has('analysis') ? spec.analysis : undefined;
  if (!analysis) return [];
  const out: RuleProblem[] = [];
  if (analysis.mode === 'fixed') {
    const hint = 'set "mode: sequential" in spec.analysis, or remove it';
    if (analysis.promoteEarly) out.push({ path: at('promoteEarly'), message: 'only with mode sequential: a fixed analysis judges each step once at its end, so nothing can end it early', hint, pointAt: 'key' });
    if (analysis.nonInferiority) out.push({ path: at('nonInferiority'), message: 'only with mode sequential: the margins are those of the sequential tests', hint, pointAt: 'key' });
    if (analysis.absoluteConfidence !== undefined) out.push({ path: at('absoluteConfidence'), message: 'only with mode sequential: it is the confidence of the sequential tests of absolute SLOs', hint, pointAt: 'key' });
    return out;
  }
  if (valid.has('slos') && spec.slos && !spec.slos.some((s) => sequentialAlpha(s, analysis) !== undefined)) {
    out.push({
      path: at('mode'),
      message:
        'mode sequential tests the relative SLOs (relative-error-rate, relative-latency) and the canary\'s error-rate, latency (p50 … p99.9) and prometheus built-in SLOs, and there is none: nothing would be tested sequentially',
      hint: 'add e.g. "- kind: relative-error-rate" or "- {kind: error-rate, subject: canary, max: 1%}" to spec.slos, or use mode fixed',
    });
  }
  if (analysis.absoluteConfidence !== undefined && valid.has('slos') && spec.slos && !spec.slos.some((s) => s.kind === 'error-rate' || s.kind === 'latency' || prometheusTested(s))) {
    out.push({ path: at('absoluteConfidence'), message: 'no absolute error-rate, latency or prometheus built-in SLO to apply it to', hint: 'remove it, or add an error-rate or latency SLO of the canary', pointAt: 'key' });
  }
  const load = valid.has('load') ? spec.load : undefined;
  if (load?.generator === 'none') {
    out.push({ path: at('mode'), message: 'mode sequential reads the load generator\'s responses as they come, and generator none (live traffic) sends none', hint: 'use generator builtin, vegeta or k6, or mode fixed' });
  } else if (load?.distributed) {
    out.push({ path: at('mode'), message: 'mode sequential reads the load generator\'s responses as they come, and the in-cluster load (load.distributed) reports none to the run', hint: 'remove load.distributed, or use mode fixed' });
  }
  return out;
}
