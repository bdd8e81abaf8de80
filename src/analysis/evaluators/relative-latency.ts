/**
 * Relative latency SLO (Kayenta's judge): the canary's latency against the stable's over the same
 * window. Mann-Whitney U says whether the two differ; the Hodges-Lehmann estimate says by how much
 * (the median of all canary − stable differences), with Moses' distribution-free interval. Both are
 * expressed relative to the stable median, so "allowedIncrease: 5%" means "at most 5% slower".
 * The rank tests run on the recorder's histogram buckets (3 significant digits), not on raw
 * requests.
 */
import type { SloSpec } from '../../experiment/schema.js';
import { formatConfidence, formatMs, formatP, formatSignedPercent } from '../format.js';
import { hodgesLehmannWeighted } from '../stats/hodges-lehmann.js';
import { mannWhitneyWeighted } from '../stats/mann-whitney.js';
import { weightedMedian } from '../stats/weighted-sample.js';
import type { SloEvaluator } from '../types.js';
import { countsPhrase, relativeBase, relativeNoData, relativeReason, relativeVerdict, shortOfSamples, type Comparison } from './relative.js';

/** A relative-latency SLO as parsed (increases as fractions). */
export type RelativeLatencySlo = Extract<SloSpec, { kind: 'relative-latency' }>;

/** Evaluator for `kind: relative-latency`. */
export const relativeLatencyEvaluator: SloEvaluator<RelativeLatencySlo> = {
  kind: 'relative-latency',
  defaultName: () => 'canary-vs-stable-latency',
  formatValue: formatSignedPercent,
  evaluate(slo, { options, distributions }) {
    const canary = distributions?.get(options.canary);
    const stable = distributions?.get(options.stable);
    const nC = canary?.n ?? 0;
    const nS = stable?.n ?? 0;
    const base = relativeBase(slo, relativeLatencyEvaluator.defaultName(slo), nC + nS);
    const what = 'canary vs stable median latency';
    const short = shortOfSamples(nC, nS, Math.max(1, options.minSamples), options);
    const stableMedian = stable && nS > 0 ? weightedMedian(stable) : 0;
    if (short || !canary || !stable || !(stableMedian > 0)) {
      const why = short ?? `the stable median is ${formatMs(stableMedian)}: no relative change can be measured`;
      return relativeNoData(base, what, why);
    }
    const mw = mannWhitneyWeighted(canary, stable);
    const hl = hodgesLehmannWeighted(canary, stable, slo.confidence);
    const comparison: Comparison = {
      value: hl.shift / stableMedian,
      interval: { low: hl.lower / stableMedian, high: hl.upper / stableMedian, confidence: slo.confidence },
      significantlyWorse: mw.pTwoSided < 1 - slo.confidence && hl.shift > 0,
    };
    const verdict = relativeVerdict(comparison, slo.allowedIncrease, slo.criticalIncrease);
    const f = formatSignedPercent;
    const { interval } = comparison;
    const level = formatConfidence(slo.confidence);
    const figures =
      `${what} ${f(comparison.value)} (${hl.shift < 0 ? '−' : '+'}${formatMs(Math.abs(hl.shift))} on a stable median of ${formatMs(stableMedian)}; ` +
      `${level} CI ${f(interval.low)}…${f(interval.high)}, ${formatP(mw.pTwoSided)})`;
    const reason = relativeReason(comparison, verdict, { allowed: slo.allowedIncrease, format: f, critical: slo.criticalIncrease, confidence: slo.confidence });
    return { ...base, value: comparison.value, interval, ...verdict, message: `${figures}: ${reason}, ${countsPhrase(nC, nS)})` };
  },
};
