/**
 * Error-rate SLO: the share of the subject's requests that failed (status >= 500, or no
 * response) must not exceed `max` (a fraction: "1%" parses to 0.01).
 */
import type { SloSpec } from '../../experiment/schema.js';
import { formatPair, formatPercent, formatPercentPrecise, plural } from '../format.js';
import { judge } from '../judge.js';
import { statsOfSubject, unattributedNote } from '../subject.js';
import type { SloEvaluator } from '../types.js';
import { errorRateInterval } from './intervals.js';
import { servedBy } from './served-by.js';

/** An error-rate SLO as parsed (`max` a fraction). */
export type ErrorRateSlo = Extract<SloSpec, { kind: 'error-rate' }>;

/** Evaluator for `kind: error-rate`. */
export const errorRateEvaluator: SloEvaluator<ErrorRateSlo> = {
  kind: 'error-rate',
  defaultName: (slo) => `${slo.subject}-error-rate`,
  formatValue: formatPercent,
  evaluate(slo, { stats, options }) {
    const entry = statsOfSubject(slo.subject, stats, options);
    const samples = entry?.count ?? 0;
    const errors = entry?.errors ?? 0;
    const note = slo.subject === 'all' ? unattributedNote(stats) : '';
    return judge({
      name: slo.name ?? errorRateEvaluator.defaultName(slo),
      kind: slo.kind,
      subject: slo.subject,
      what: `${slo.subject} error rate`,
      // Recomputed from the counts rather than trusting errorRate, so value and detail agree.
      value: samples > 0 ? errors / samples : null,
      interval: errorRateInterval(errors, samples),
      threshold: slo.max,
      comparator: 'max',
      samples,
      minSamples: options.minSamples,
      formatPair: (v, t) => formatPair(v, t, formatPercent, formatPercentPrecise),
      detail: `${errors} of ${plural(samples, 'request')} failed${note}`,
      noDataDetail: servedBy(slo.subject, options),
    });
  },
};
