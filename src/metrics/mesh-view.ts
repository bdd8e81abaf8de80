/**
 * The mesh-view SLOs (response-flag, ejections, retry-success-rate): which Envoy cluster a subject
 * means, and how what the mesh counted in a window becomes a measurement. The counting itself is
 * done by whoever can read the mesh: the runner from the local mesh's admin (two readings, diffed),
 * or `measure-mesh-view.ts` from Prometheus.
 */
import { MESH_VIEW_KINDS } from '../experiment/mesh-slo-schema.js';
import type { SloSpec, SubjectSloSpec, TargetSpec } from '../experiment/schema.js';
import type { MetricMeasurement } from './measure.js';

/** A response-flag SLO as parsed (`max`, `min` fractions). */
export type ResponseFlagSlo = Extract<SloSpec, { kind: 'response-flag' }>;
/** An ejections SLO as parsed. */
export type EjectionsSlo = Extract<SloSpec, { kind: 'ejections' }>;
/** A retry-success-rate SLO as parsed (`max`, `min` fractions). */
export type RetrySuccessRateSlo = Extract<SloSpec, { kind: 'retry-success-rate' }>;
/** Any SLO judged on the mesh's own view. */
export type MeshViewSlo = ResponseFlagSlo | EjectionsSlo | RetrySuccessRateSlo;

/** True for the SLOs judged on the mesh's own view. */
export function isMeshViewSlo(slo: SloSpec): slo is MeshViewSlo {
  return MESH_VIEW_KINDS.has(slo.kind);
}

/** Envoy's per-cluster counters the SLOs read (admin /stats names, without `cluster.<name>.`). */
export const CLUSTER_STAT = {
  ejections: 'outlier_detection.ejections_enforced_total',
  retries: 'upstream_rq_retry',
  retrySuccesses: 'upstream_rq_retry_success',
} as const;

/** The FQDN of the target host ("reviews" in namespace "default" → "reviews.default.svc.cluster.local"). */
export function targetFqdn(target: Pick<TargetSpec, 'host' | 'namespace'>): string {
  return target.host.includes('.') ? target.host : `${target.host}.${target.namespace}.svc.cluster.local`;
}

/** The subset a subject's cluster serves; undefined for "all" (every cluster of the host). */
export function subsetOfSubject(subject: SubjectSloSpec['subject'], target: Pick<TargetSpec, 'stable' | 'canary'>): string | undefined {
  return subject === 'canary' ? target.canary : subject === 'stable' ? target.stable : undefined;
}

/**
 * Whether an Envoy cluster name ("outbound|80|v2|reviews.default.svc.cluster.local") is the
 * subject's: an outbound cluster of the target host, of the subject's subset (any subset, and the
 * subset-less cluster, for "all"). A partly qualified host ("reviews.default") matches its FQDN.
 */
export function isSubjectCluster(cluster: string, subject: SubjectSloSpec['subject'], target: Pick<TargetSpec, 'host' | 'namespace' | 'stable' | 'canary'>): boolean {
  const [direction, , subset, fqdn] = cluster.split('|');
  if (direction !== 'outbound' || fqdn === undefined) return false;
  const host = targetFqdn(target);
  if (fqdn !== host && !fqdn.startsWith(`${host}.`)) return false;
  const wanted = subsetOfSubject(subject, target);
  return wanted === undefined || subset === wanted;
}

/** What the mesh counted for one SLO in a window: `part` of `whole` (whole null for ejections). */
export interface MeshTally {
  part: number;
  whole: number | null;
}

/**
 * The measurement of an SLO from its tally; `source` says where the counts came from (the
 * admin stats read, or the PromQL sent). A ratio over nothing is "no data", never 0.
 */
export function measurementOf(slo: MeshViewSlo, tally: MeshTally, source: string): MetricMeasurement {
  const counts = { part: tally.part, whole: tally.whole };
  if (slo.kind === 'ejections') return { value: tally.part, query: source, counts };
  if (tally.whole === null || tally.whole <= 0) {
    const none = slo.kind === 'response-flag' ? `no requests ${slo.subject === 'all' ? 'to the target host' : `answered by the ${slo.subject}`} in the step` : `no retries on the ${slo.subject}'s cluster in the step`;
    return { value: null, query: source, counts, noDataReason: none };
  }
  return { value: tally.part / tally.whole, query: source, counts };
}
