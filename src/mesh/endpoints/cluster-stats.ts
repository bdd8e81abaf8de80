/**
 * Envoy-style per-cluster statistics (`cluster.<name>.<stat>` on the admin port's GET /stats). One
 * object per cluster; any feature that acts per cluster (circuit breaking, outlier detection, ...)
 * adds its own counters or gauges by name with `add`, or — for numbers a hot path keeps in plain
 * fields anyway — registers a reader with `read` (nothing is done per request then). It lives in endpoints/ so features at this
 * level (the load balancer, outlier detection) can use it as well as config/ and proxy/.
 */

/** Counters and gauges of one cluster, by Envoy stat name (e.g. "upstream_rq_pending_overflow"). */
export class ClusterStats {
  /** Values by stat name; gauges go up and down through `add`. */
  private readonly values = new Map<string, number>();
  private readonly readers = new Map<string, () => number>();

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

  /** Current value (0 when never set). */
  get(name: string): number {
    const r = this.readers.get(name);
    return r ? r() : (this.values.get(name) ?? 0);
  }

  /** Every stat and its current value. */
  entries(): [string, number][] {
    const out = [...this.values];
    for (const [n, r] of this.readers) out.push([n, r()]);
    return out;
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
