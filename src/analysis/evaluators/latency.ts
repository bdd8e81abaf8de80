/**
 * Latency SLO: a percentile of the subject's latency (measured from the intended send time)
 * must not exceed `max` milliseconds.
 */
import type { SloSpec } from '../../experiment/schema.js';
import { formatMs, formatMsPrecise, formatPair, plural } from '../format.js';
import { judge } from '../judge.js';
import { statsOfSubject, unattributedNote, versionOfSubject } from '../subject.js';
import { latencyInterval } from './intervals.js';
import type { SloEvaluator } from '../types.js';
import { servedBy } from './served-by.js';

/** A latency SLO as parsed (`max` in ms). */
export type LatencySlo = Extract<SloSpec, { kind: 'latency' }>;

/** Evaluator for `kind: latency`. */
export const latencyEvaluator: SloEvaluator<LatencySlo> = {
  kind: 'latency',
  defaultName: (slo) => `${slo.subject}-latency-${slo.percentile}`,
  formatValue: formatMs,
  evaluate(slo, { stats, options, distributions }) {
    const entry = statsOfSubject(slo.subject, stats, options);
    const value = entry?.latency[slo.percentile] ?? null;
    const samples = entry?.count ?? 0;
    const what = slo.percentile === 'max' ? `${slo.subject} max latency` : `${slo.subject} ${slo.percentile} latency`;
    return judge({
      name: slo.name ?? latencyEvaluator.defaultName(slo),
      kind: slo.kind,
      subject: slo.subject,
      what,
      value,
      interval: latencyInterval(distributions?.get(versionOfSubject(slo.subject, options)), slo.percentile, value),
      threshold: slo.max,
      comparator: 'max',
      samples,
      minSamples: options.minSamples,
      formatPair: (v, t) => formatPair(v, t, formatMs, formatMsPrecise),
      detail: `${plural(samples, 'request')}${slo.subject === 'all' ? unattributedNote(stats) : ''}`,
      noDataDetail: servedBy(slo.subject, options),
    });
  },
};
