/**
 * The shared judging of the mesh-view SLOs (response-flag, ejections, retry-success-rate): the
 * value the mesh measured in the step (by the runner, before judging, so evaluators stay pure)
 * against min and/or max. No measurement, or a ratio over nothing, is "no data" with the reason —
 * never a pass. With both bounds, the one the value breaks is reported (max when within both).
 */
import type { MeshViewSlo } from '../../metrics/mesh-view.js';
import type { CheckResult } from '../../model/result.js';
import { judge } from '../judge.js';
import { statsOfSubject } from '../subject.js';
import type { EvaluationInput } from '../types.js';

/** How one kind reads. */
export interface MeshViewWording {
  /** The check's name. */
  name: string;
  /** What is measured, e.g. "all UO share"; starts the message. */
  what: string;
  /** Formats a value or threshold. */
  format(v: number): string;
  /** What the counts are, e.g. "12 of 400 requests flagged UO". */
  detail(part: number, whole: number | null): string;
  /** Fewest counts (the measurement's `whole`) a verdict needs. */
  minCounts: number;
}

/** Judges a mesh-view SLO on its measurement in `input.measurements`. */
export function judgeMeshView(slo: MeshViewSlo, { stats, options, measurements }: EvaluationInput, w: MeshViewWording): CheckResult {
  const m = measurements?.get(slo);
  const value = m?.value ?? null;
  const useMin = slo.min !== undefined && (slo.max === undefined || (value !== null && value < slo.min));
  const threshold = (useMin ? slo.min : slo.max)!;
  const comparator = useMin ? 'min' : 'max';
  const counts = m?.counts;
  // The mesh's own count when it has one; the client's requests of the subject otherwise.
  const samples = counts?.whole ?? statsOfSubject(slo.subject, stats, options)?.count ?? 0;
  const base = { name: w.name, kind: slo.kind, subject: slo.subject, threshold, comparator } as const;
  if (value === null) {
    const why = m?.noDataReason ?? 'not measured: nothing could read the mesh (local mesh admin, or metrics.prometheus)';
    return { ...base, value: null, samples, verdict: 'no-data', message: `${w.what}: no data (${why})` };
  }
  return judge({
    ...base,
    what: w.what,
    value,
    samples,
    minSamples: counts?.whole === null ? 0 : w.minCounts,
    formatPair: (v, t) => [w.format(v), w.format(t)],
    detail: `mesh-side: ${counts ? w.detail(counts.part, counts.whole) : m?.query ?? ''}`,
  });
}
