/**
 * Runs the prometheus SLOs' queries for one step: renders each template for the judged version,
 * queries at the end of the step, and turns the answer into a measurement — a value, or "no data"
 * with the reason in plain words. Several series where one was expected is an error (the query is
 * wrong, not the canary), and it names them.
 */
import { RuntimeError } from '../errors.js';
import type { PrometheusSpec, SloSpec, SubjectSloSpec, TargetSpec } from '../experiment/schema.js';
import { BUILTIN_QUERIES } from './prometheus/builtins.js';
import { describeSeries } from './prometheus/prometheus-source.js';
import { promDuration, renderQuery, type QueryVariables } from '../experiment/promql-template.js';
import type { MetricSource } from './types.js';

/** A prometheus SLO as parsed. */
export type PrometheusSlo = Extract<SloSpec, { kind: 'prometheus' }>;

/** What one query gave. */
export interface MetricMeasurement {
  /** The value; null when there was no data. */
  value: number | null;
  /** The query as sent. */
  query: string;
  /** Why there is no value, in plain words (with the matcher that matched nothing, when found). */
  noDataReason?: string;
  /**
   * The counts behind a ratio or a count the mesh measured (mesh-view SLOs): `part` of `whole`
   * (e.g. 12 UO of 400 requests), `whole` null for a plain count (ejections). @default absent
   */
  counts?: { part: number; whole: number | null };
}

/** Options of {@link measureMetricSlos}. */
export interface MeasureOptions {
  /** All SLOs of the experiment (non-prometheus ones are skipped). */
  slos: readonly SloSpec[];
  /** Where to ask. */
  source: MetricSource;
  /** The experiment's target (namespace, host, subsets). */
  target: TargetSpec;
  /** The prometheus section (workload template). */
  prometheus: PrometheusSpec;
  /** The range each query covers (`{{ interval }}`), ms: from the step's start to `timeMs`. */
  windowMs: number;
  /** Evaluation time, ms since the epoch (the end of the window). */
  timeMs: number;
  /** Aborts the queries. */
  signal?: AbortSignal;
}

/** The variables of a query judging `subject`. */
export function queryVariables(subject: SubjectSloSpec['subject'], target: TargetSpec, prometheus: PrometheusSpec, windowMs: number): QueryVariables {
  // "reviews.default.svc.cluster.local" → "reviews": workloads are named after the short name.
  const service = target.host.split('.')[0]!;
  const base = { namespace: target.namespace, stable: target.stable, canary: target.canary, service, interval: promDuration(windowMs) };
  const workload = (version: string) => renderQuery(prometheus.workload, { ...base, version, target: '' });
  if (subject === 'all') {
    return { ...base, version: `${target.stable}|${target.canary}`, target: `${workload(target.stable)}|${workload(target.canary)}` };
  }
  const version = subject === 'canary' ? target.canary : target.stable;
  return { ...base, version, target: workload(version) };
}

/** The query an SLO sends for its subject. */
export function renderSloQuery(slo: PrometheusSlo, vars: QueryVariables): string {
  return renderQuery(slo.builtin ? BUILTIN_QUERIES[slo.builtin] : slo.query!, vars);
}

/** Measures every prometheus SLO; the map is keyed by the SLO objects of `slos`. */
export async function measureMetricSlos(o: MeasureOptions): Promise<Map<SloSpec, MetricMeasurement>> {
  const out = new Map<SloSpec, MetricMeasurement>();
  for (const slo of o.slos) {
    if (slo.kind !== 'prometheus') continue;
    const vars = queryVariables(slo.subject, o.target, o.prometheus, o.windowMs);
    const query = renderSloQuery(slo, vars);
    const result = await o.source.query(query, o.timeMs, o.signal);
    if (result.series.length > 1) {
      throw new RuntimeError(`prometheus SLO ${slo.name ?? slo.builtin ?? 'query'} returned ${result.series.length} series where one was expected: ${describeSeries(result)}`, {
        hint: 'aggregate the query to one series, e.g. wrap it in sum(...), or narrow its label matchers',
      });
    }
    const value = result.series[0]?.value;
    if (value === undefined) {
      const why = await o.source.explainEmpty(query, o.timeMs, o.signal);
      out.set(slo, { value: null, query, noDataReason: `the query returned no series${why ? `: ${why}` : ''}` });
    } else if (Number.isNaN(value)) {
      out.set(slo, { value: null, query, noDataReason: `the query returned NaN (0/0: no requests to ${vars.target} in the last ${vars.interval})` });
    } else {
      out.set(slo, { value, query });
    }
  }
  return out;
}
