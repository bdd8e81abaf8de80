/**
 * Prometheus SLO: the value its query gave at the end of the step (measured by src/metrics before
 * judging, so evaluators stay pure) against min and/or max. No series or NaN is "no data", with the
 * reason; with both bounds, the one the value breaks is reported (or max when it is within both).
 */
import { BUILTIN_INFO } from '../../metrics/prometheus/builtins.js';
import type { PrometheusSlo } from '../../metrics/measure.js';
import type { CheckResult } from '../../model/result.js';
import { formatMs } from '../format.js';
import { judge } from '../judge.js';
import { statsOfSubject } from '../subject.js';
import type { SloEvaluator } from '../types.js';

const formatNumber = (v: number) => String(Number(v.toPrecision(6)));

/** Evaluator for `kind: prometheus`. */
export const prometheusEvaluator: SloEvaluator<PrometheusSlo> = {
  kind: 'prometheus',
  defaultName: (slo) => `${slo.subject}-${slo.builtin ?? 'prometheus-query'}`,
  formatValue: formatNumber,
  evaluate(slo, { stats, options, measurements }): CheckResult {
    const info = slo.builtin ? BUILTIN_INFO[slo.builtin] : undefined;
    const format = info?.unit === 'ms' ? formatMs : info?.unit === 'percent' ? (v: number) => `${v.toFixed(2)}%` : formatNumber;
    const m = measurements?.get(slo);
    const samples = statsOfSubject(slo.subject, stats, options)?.count ?? 0;
    const value = m?.value ?? null;
    const useMin = slo.min !== undefined && (slo.max === undefined || (value !== null && value < slo.min));
    const name = slo.name ?? prometheusEvaluator.defaultName(slo);
    const what = `${slo.subject} ${info?.what ?? 'Prometheus query'}`;
    if (value === null) {
      return {
        name,
        kind: slo.kind,
        subject: slo.subject,
        value: null,
        threshold: (useMin ? slo.min : slo.max)!,
        comparator: useMin ? 'min' : 'max',
        samples,
        verdict: 'no-data',
        message: `${what}: no data (${m?.noDataReason ?? 'not measured: no metric source'})`,
      };
    }
    return judge({
      name,
      kind: slo.kind,
      subject: slo.subject,
      what,
      value,
      threshold: (useMin ? slo.min : slo.max)!,
      comparator: useMin ? 'min' : 'max',
      samples,
      // The value is Prometheus's, not the client's: the client's sample count does not gate it.
      minSamples: 0,
      formatPair: (v, t) => [format(v), format(t)],
      detail: `mesh-side; client saw ${samples} request${samples === 1 ? '' : 's'}`,
    });
  },
};
