/**
 * Relative error-rate SLO: the canary's error rate minus the stable's over the same window, with
 * Newcombe's hybrid score interval for the difference of two proportions (well behaved at 0
 * errors, where the Wald interval collapses). "Significantly worse" means the interval lies wholly
 * above zero.
 */
import type { SloSpec } from '../../experiment/schema.js';
import { formatConfidence, formatPercent, formatPoints, plural } from '../format.js';
import { newcombeDifference } from '../stats/proportions.js';
import { statsOfSubject } from '../subject.js';
import type { SloEvaluator } from '../types.js';
import { relativeBase, relativeNoData, relativeReason, relativeVerdict, shortOfSamples, type Comparison } from './relative.js';

/** A relative-error-rate SLO as parsed (increases as fractions). */
export type RelativeErrorRateSlo = Extract<SloSpec, { kind: 'relative-error-rate' }>;

/** Evaluator for `kind: relative-error-rate`. */
export const relativeErrorRateEvaluator: SloEvaluator<RelativeErrorRateSlo> = {
  kind: 'relative-error-rate',
  defaultName: () => 'canary-vs-stable-error-rate',
  formatValue: formatPoints,
  evaluate(slo, { stats, options }) {
    const canary = statsOfSubject('canary', stats, options);
    const stable = statsOfSubject('stable', stats, options);
    const nC = canary?.count ?? 0;
    const nS = stable?.count ?? 0;
    const xC = canary?.errors ?? 0;
    const xS = stable?.errors ?? 0;
    const base = relativeBase(slo, relativeErrorRateEvaluator.defaultName(slo), nC + nS);
    const what = 'canary vs stable error rate';
    const short = shortOfSamples(nC, nS, Math.max(1, options.minSamples), options);
    if (short) return relativeNoData(base, what, short);
    const d = newcombeDifference(xC, nC, xS, nS, slo.confidence);
    const comparison: Comparison = {
      value: d.difference,
      interval: { low: d.lower, high: d.upper, confidence: slo.confidence },
      significantlyWorse: d.lower > 0,
    };
    const verdict = relativeVerdict(comparison, slo.allowedIncrease, slo.criticalIncrease);
    const level = formatConfidence(slo.confidence);
    const figures =
      `${what} ${formatPoints(d.difference)} (${formatPercent(xC / nC)} against ${formatPercent(xS / nS)}; ` +
      `${level} CI ${formatPoints(d.lower)}…${formatPoints(d.upper)})`;
    const reason = relativeReason(comparison, verdict, { allowed: slo.allowedIncrease, format: formatPoints, critical: slo.criticalIncrease, confidence: slo.confidence });
    const counts = `${xC} of ${plural(nC, 'canary request')} and ${xS} of ${plural(nS, 'stable request')} failed`;
    return { ...base, value: d.difference, interval: comparison.interval, ...verdict, message: `${figures}: ${reason}, ${counts})` };
  },
};
