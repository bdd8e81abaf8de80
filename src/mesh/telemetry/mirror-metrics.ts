/**
 * The mesh's own record of mirrored (shadow) copies. Istio has no metric that tells a copy from a
 * request a client waits for (both are reporter="destination" samples), so the local mesh also
 * counts every copy under mesh-exp's own names, by mirror destination and response code, with
 * code 0 for a copy that got no response (connect failure, reset, the shadow timeout):
 *   mesh_exp_mirrored_requests_total{destination_service, destination_service_name, destination_subset, destination_version, response_code}
 *   mesh_exp_mirrored_request_duration_milliseconds (Istio's buckets, same labels)
 * Both families are written only once a copy was recorded, so a mesh without mirrors exposes
 * exactly Istio's families.
 */
import type { Workload } from '../endpoints/endpoint.js';
import { labelString, writeCounter, writeHistogram } from './prom-text.js';

/** Name of the counter of mirrored copies. */
export const MIRRORED_REQUESTS_TOTAL = 'mesh_exp_mirrored_requests_total';

/** Name of the duration histogram of mirrored copies. */
export const MIRRORED_DURATION_MS = 'mesh_exp_mirrored_request_duration_milliseconds';

interface MirrorSeries {
  labels: string;
  count: number;
  sum: number;
  buckets: Float64Array;
}

/** Counts of the copies sent to mirrors. */
export interface MirrorMetrics {
  /** Records one copy sent to `dest`: its response code (0: none) and duration, ms. */
  record(dest: Workload, code: number, durationMs: number): void;
  /** Appends both families' exposition to `out` (nothing when no copy was recorded). */
  render(out: string[]): void;
}

/** Creates an empty record with the histogram's upper bounds (Istio's, from `metrics.ts`). */
export function createMirrorMetrics(bounds: readonly number[]): MirrorMetrics {
  const series = new Map<string, MirrorSeries>();
  return {
    record(dest, code, ms) {
      const labels = labelString([
        ['destination_service', dest.service],
        ['destination_service_name', dest.serviceName],
        ['destination_subset', dest.subset ?? ''],
        ['destination_version', dest.version],
        ['response_code', String(code)],
      ]);
      let s = series.get(labels);
      if (!s) series.set(labels, (s = { labels, count: 0, sum: 0, buckets: new Float64Array(bounds.length) }));
      s.count++;
      s.sum += ms;
      const i = bounds.findIndex((b) => ms <= b);
      if (i >= 0) s.buckets[i]!++;
    },
    render(out) {
      if (series.size === 0) return;
      writeCounter(out, MIRRORED_REQUESTS_TOTAL, 'Mirrored (shadow) copies sent by the mesh, by mirror destination and response code (0: no response).', [...series.values()].map((s) => ({ labels: s.labels, value: s.count })));
      writeHistogram(out, MIRRORED_DURATION_MS, 'Duration of mirrored (shadow) copies in milliseconds.', bounds, series.values());
    },
  };
}
