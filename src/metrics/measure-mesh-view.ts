/**
 * The mesh-view SLOs measured from Prometheus (providers istio and gateway-api): Istio's
 * `istio_requests_total` by `response_flags`, and the Envoy cluster stats Istio's sidecars export as
 * `envoy_cluster_*` with a `cluster_name` label ("outbound|9080|v2|reviews.default.svc.cluster.local").
 * Istio exports those Envoy stats only when the mesh's `proxyStatsMatcher` includes them
 * (https://istio.io/latest/docs/ops/configuration/telemetry/envoy-stats/); without them the query
 * returns no series and the check has no data, saying so.
 */
import type { PrometheusSpec, SloSpec, TargetSpec } from '../experiment/schema.js';
import { CLUSTER_STAT, isMeshViewSlo, measurementOf, subsetOfSubject, targetFqdn, type MeshViewSlo } from './mesh-view.js';
import { queryVariables, type MeasureOptions, type MetricMeasurement } from './measure.js';
import type { MetricSource } from './types.js';

/** Envoy's stat names as Istio's Prometheus export writes them (dots to underscores, `envoy_cluster_` prefix). */
const envoyMetric = (stat: string) => `envoy_cluster_${stat.replaceAll('.', '_')}`;

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Inside a PromQL double-quoted string every backslash of the regex is written twice.
const promString = (s: string) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/** The `cluster_name` regex of the subject's outbound clusters of the target host (any port). */
export function clusterNameRegex(slo: MeshViewSlo, target: TargetSpec): string {
  const subset = subsetOfSubject(slo.subject, target);
  const host = regexEscape(targetFqdn(target)) + (target.host.includes('.') ? '(\\..+)?' : '');
  return `outbound\\|[0-9]+\\|${subset === undefined ? '[^|]*' : regexEscape(subset)}\\|${host}`;
}

/** The two queries of an SLO: the part, and the whole it is a share of (none for ejections). */
export function meshViewQueries(slo: MeshViewSlo, target: TargetSpec, prometheus: PrometheusSpec, windowMs: number): { part: string; whole?: string } {
  const vars = queryVariables(slo.subject, target, prometheus, windowMs);
  if (slo.kind === 'response-flag') {
    const workload = slo.subject === 'all' ? '' : `,destination_workload=~"${promString(vars.target)}"`;
    const base = `reporter="source",destination_service_namespace="${promString(target.namespace)}",destination_service_name="${promString(vars.service)}"${workload}`;
    const requests = (extra: string) => `sum(increase(istio_requests_total{${base}${extra}}[${vars.interval}]))`;
    return { part: requests(`,response_flags=~"(.+,)?${slo.flag}(,.+)?"`), whole: requests('') };
  }
  const cluster = `{cluster_name=~"${promString(clusterNameRegex(slo, target))}"}`;
  const counter = (stat: string) => `sum(increase(${envoyMetric(stat)}${cluster}[${vars.interval}]))`;
  // increase() extrapolates to the window's edges; ejections are whole events, so round.
  if (slo.kind === 'ejections') return { part: `round(${counter(CLUSTER_STAT.ejections)})` };
  return { part: counter(CLUSTER_STAT.retrySuccesses), whole: counter(CLUSTER_STAT.retries) };
}

/** Options of {@link measureMeshViewSlos}: those of the prometheus SLOs (only the mesh-view kinds of `slos` are measured). */
export type MeshViewMeasureOptions = MeasureOptions;

const ENVOY_STATS_NOTE = "Istio exports Envoy's cluster stats only when proxyStatsMatcher includes them (https://istio.io/latest/docs/ops/configuration/telemetry/envoy-stats/)";

/** Measures every mesh-view SLO from Prometheus; the map is keyed by the SLO objects of `slos`. */
export async function measureMeshViewSlos(o: MeshViewMeasureOptions): Promise<Map<SloSpec, MetricMeasurement>> {
  const out = new Map<SloSpec, MetricMeasurement>();
  const value = async (q: string) => (await o.source.query(q, o.timeMs, o.signal)).series[0]?.value;
  for (const slo of o.slos.filter(isMeshViewSlo)) {
    const q = meshViewQueries(slo, o.target, o.prometheus, o.windowMs);
    const shown = q.whole ? `${q.part} / ${q.whole}` : q.part;
    // The whole decides whether there is data: a flag never seen has no series of its own.
    const probe = q.whole ?? q.part;
    const total = await value(probe);
    if (total === undefined || Number.isNaN(total)) {
      const why = await o.source.explainEmpty(probe, o.timeMs, o.signal);
      const note = slo.kind === 'response-flag' ? '' : `; ${ENVOY_STATS_NOTE}`;
      out.set(slo, { value: null, query: shown, noDataReason: `the query returned no series${why ? `: ${why}` : ''}${note}` });
      continue;
    }
    const part = q.whole ? ((await value(q.part)) ?? 0) : total;
    out.set(slo, measurementOf(slo, { part, whole: q.whole ? total : null }, shown));
  }
  return out;
}
