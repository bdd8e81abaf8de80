/**
 * Envoy-style per-cluster statistics (`cluster.<name>.<stat>` on the admin port's GET /stats). One
 * object per cluster; any feature that acts per cluster (circuit breaking, outlier detection, ...)
 * adds its own counters or gauges by name with `add`, or — for numbers a hot path keeps in plain
 * fields anyway — registers a reader with `read` (nothing is done per request then). It lives in endpoints/ so features at this
 * level (the load balancer, outlier detection) can use it as well as config/ and proxy/.
 * A cluster rebuilt under the same name (a live DestinationRule change) carries its predecessor's
 * counters on (`carry`), as Envoy keeps a cluster's stats by name across a cluster update; gauges
 * describe the new cluster's own state and start from it.
 */

/** The Envoy stats reported here that are gauges (current values); every other stat is a counter. */
export const GAUGES: ReadonlySet<string> = new Set([
  'upstream_cx_active',
  'upstream_rq_active',
  'upstream_rq_pending_active',
  'outlier_detection.ejections_active',
  ...['cx', 'rq_pending', 'rq', 'rq_retry'].map((b) => `circuit_breakers.default.${b}_open`),
  ...['cx', 'pending', 'rq', 'retries'].map((r) => `circuit_breakers.default.remaining_${r}`),
]);

/** Counters and gauges of one cluster, by Envoy stat name (e.g. "upstream_rq_pending_overflow"). */
export class ClusterStats {
  /** Values by stat name; gauges go up and down through `add`. */
  private readonly values = new Map<string, number>();
  private readonly readers = new Map<string, () => number>();
  /** Counter values of the cluster this one replaced, added to its own. */
  private readonly carried = new Map<string, number>();

  /** `names`: stats shown as 0 before anything happened (Envoy lists a cluster's stats from the start). */
  constructor(names: readonly string[] = []) {
    for (const n of names) this.values.set(n, 0);
  }

  /** Adds `by` (default 1; negative for a gauge going down) to a stat, creating it at 0. */
  add(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  /** Shows `name` as what `reader` returns when the stats are read (registered once, not per request). */
  read(name: string, reader: () => number): void {
    this.readers.set(name, reader);
  }

  /** Current value (0 when never set), counters including what was carried. */
  get(name: string): number {
    const r = this.readers.get(name);
    return (r ? r() : (this.values.get(name) ?? 0)) + (this.carried.get(name) ?? 0);
  }

  /** Every stat and its current value (a carried counter this cluster no longer reports is kept). */
  entries(): [string, number][] {
    const names = new Set([...this.values.keys(), ...this.readers.keys(), ...this.carried.keys()]);
    return [...names].map((n) => [n, this.get(n)]);
  }

  /**
   * Continues the counters of `previous` (the cluster of the same name this one replaces): their
   * values now, which this cluster's own counts add to. Gauges are not carried. Counts the previous
   * cluster makes after this call (requests still finishing on it) are not seen here.
   */
  carry(previous: ClusterStats): void {
    for (const [name, v] of previous.entries()) if (!GAUGES.has(name) && v !== 0) this.carried.set(name, v);
  }
}

/**
 * Envoy's admin text format, one `cluster.<name>.<stat>: <value>` line per stat, sorted by name as
 * Envoy sorts its /stats output.
 */
export function statsText(clusters: Iterable<{ name: string; stats: ClusterStats }>): string {
  const lines: string[] = [];
  for (const c of clusters) for (const [stat, v] of c.stats.entries()) lines.push(`cluster.${c.name}.${stat}: ${v}`);
  lines.sort();
  return lines.length ? `${lines.join('\n')}\n` : '';
}
