/**
 * The mirrored half of a step: copies are fire-and-forget, so the client-side recorder never sees
 * them; the local mesh counts them (`src/mesh/telemetry/mirror-metrics.ts`). The step reads those counters
 * when its load starts and again when it ends, and the difference is the step's mirrored traffic.
 */
import { formatMs, formatPercent } from '../analysis/format.js';
import { mirroredLabel } from '../analysis/subject.js';
import { parsePrometheusText, type PromSample } from '../mesh/telemetry/prom-parse.js';
import { MIRRORED_DURATION_MS, MIRRORED_REQUESTS_TOTAL } from '../mesh/telemetry/mirror-metrics.js';
import type { MirroredStats } from '../model/result.js';
import { startCounterWindow } from './counter-window.js';

/** Copies still in flight when the step's load ends get this long to be counted, ms. */
export const MIRROR_SETTLE_MS = 250;

/** The counters of one mirror destination at one moment. */
interface MirrorTotals {
  count: number;
  errors: number;
  /** Cumulative bucket counts by upper bound (+Inf last), ascending. */
  buckets: Array<[number, number]>;
}

/** Copies to `subset` of `host` (a short name or the FQDN) in the mesh's exposition `text`. */
export function mirrorTotals(text: string, host: string, subset: string): MirrorTotals {
  const { samples } = parsePrometheusText(text);
  const ours = (s: PromSample) => s.labels['destination_subset'] === subset && (s.labels['destination_service_name'] === host || s.labels['destination_service'] === host);
  let count = 0;
  let errors = 0;
  const buckets = new Map<number, number>();
  for (const s of samples) {
    if (!ours(s)) continue;
    if (s.name === MIRRORED_REQUESTS_TOTAL) {
      count += s.value;
      const code = Number(s.labels['response_code']);
      if (code === 0 || code >= 500) errors += s.value;
    } else if (s.name === `${MIRRORED_DURATION_MS}_bucket`) {
      const le = Number(s.labels['le'] === '+Inf' ? Infinity : s.labels['le']);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    }
  }
  return { count, errors, buckets: [...buckets].sort((a, b) => a[0] - b[0]) };
}

/**
 * The q-quantile (0–1) of cumulative buckets, interpolated linearly within its bucket the way
 * Prometheus's histogram_quantile does (the first bucket starts at 0; a quantile in +Inf gives the
 * highest finite bound); null when the buckets hold nothing.
 */
export function bucketQuantile(buckets: ReadonlyArray<readonly [number, number]>, q: number): number | null {
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      return count === prevCount ? bound : prevBound + ((bound - prevBound) * (rank - prevCount)) / (count - prevCount);
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

/** The traffic counted between two readings of the same mirror destination. */
export function mirroredBetween(before: MirrorTotals, after: MirrorTotals, version: string): MirroredStats {
  const start = new Map(before.buckets);
  const buckets = after.buckets.map(([le, n]): [number, number] => [le, n - (start.get(le) ?? 0)]);
  const count = after.count - before.count;
  const errors = after.errors - before.errors;
  const q = (p: number) => bucketQuantile(buckets, p);
  return { version, measuredBy: 'mesh', count, errors, errorRate: count > 0 ? errors / count : null, latency: { p50: q(0.5), p95: q(0.95), p99: q(0.99) } };
}

/** Options of {@link startMirrorWindow}. */
export interface MirrorWindowOptions {
  /** Reads the mesh's metrics (in-process, or GET /stats/prometheus of the attached mesh). */
  read(): Promise<string>;
  /** Target host (short name or FQDN) and the mirror subset. */
  host: string;
  subset: string;
  /** Stops the settle wait. */
  signal: AbortSignal;
}

/** The event line of a step's mirrored traffic, e.g. "v2: mirrored (shadow) traffic, measured by the mesh: 498 req, 0.00% err, p50 5.2ms, p99 24ms". */
export function describeMirrored(m: MirroredStats): string {
  const ms = (v: number | null) => (v === null ? '—' : formatMs(v));
  return `${mirroredLabel(m.version)}: ${m.count} req, ${m.errorRate === null ? '—' : formatPercent(m.errorRate)} err, p50 ${ms(m.latency.p50)}, p99 ${ms(m.latency.p99)}`;
}

/** Reads the counters now; `end()` waits for copies still in flight, reads again, and returns the difference. */
export async function startMirrorWindow(o: MirrorWindowOptions): Promise<{ end(): Promise<MirroredStats> }> {
  const window = await startCounterWindow({ read: async () => mirrorTotals(await o.read(), o.host, o.subset), settleMs: MIRROR_SETTLE_MS, signal: o.signal });
  return {
    async end() {
      const { before, after } = await window.end();
      return mirroredBetween(before, after, o.subset);
    },
  };
}

/**
 * {@link startMirrorWindow} for a step; never throws: a reading that fails is logged and the step
 * goes on without mirrored figures (they are for the report, never judged). Undefined when nothing
 * can read the mesh's metrics (a cluster provider).
 */
export async function watchMirror(o: Omit<MirrorWindowOptions, 'read'> & { read: (() => Promise<string>) | undefined; warn(msg: string): void }): Promise<{ end(): Promise<MirroredStats | undefined> } | undefined> {
  const { read } = o;
  if (!read) return undefined;
  const failed = (err: unknown) => {
    // Stopped by a signal: the step is abandoned anyway, nothing worth a warning.
    if (o.signal.aborted) return undefined;
    o.warn(`mirrored traffic to ${o.subset}, for the report: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  };
  const window = await startMirrorWindow({ ...o, read }).catch(failed);
  return window && { end: () => window.end().catch(failed) };
}
