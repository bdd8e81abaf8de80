/**
 * A small Prometheus text-exposition writer (format 0.0.4): `# HELP` / `# TYPE` lines, counters and
 * histograms (`_bucket{le=...}` cumulative, `+Inf`, `_sum`, `_count`). Label strings are built once
 * per series by the caller; rendering only concatenates.
 */

/** Escapes a label value as the exposition format requires. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `a="x",b="y"` from ordered pairs. */
export function labelString(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
}

/** Formats a sample value the way Prometheus clients do (integers without exponent). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** One histogram series: per-bucket (non-cumulative) counts, sum and count. */
export interface HistogramSample {
  /** Label string without braces. */
  labels: string;
  /** Counts per bucket, not cumulative; length = bounds.length (the +Inf overflow is count − sum of these). */
  buckets: ArrayLike<number>;
  /** Sum of observations. */
  sum: number;
  /** Number of observations. */
  count: number;
}

/** Writes a counter family. */
export function writeCounter(out: string[], name: string, help: string, samples: Iterable<{ labels: string; value: number }>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const s of samples) out.push(`${name}{${s.labels}} ${formatValue(s.value)}`);
}

/** Writes a histogram family with upper bounds `bounds` (ascending, without +Inf). */
export function writeHistogram(out: string[], name: string, help: string, bounds: readonly number[], samples: Iterable<HistogramSample>): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  const les = bounds.map((b) => `le="${formatValue(b)}"`);
  for (const s of samples) {
    let cumulative = 0;
    const sep = s.labels ? ',' : '';
    for (let i = 0; i < bounds.length; i++) {
      cumulative += s.buckets[i]!;
      out.push(`${name}_bucket{${s.labels}${sep}${les[i]}} ${cumulative}`);
    }
    out.push(`${name}_bucket{${s.labels}${sep}le="+Inf"} ${s.count}`);
    out.push(`${name}_sum{${s.labels}} ${formatValue(s.sum)}`);
    out.push(`${name}_count{${s.labels}} ${s.count}`);
  }
}
