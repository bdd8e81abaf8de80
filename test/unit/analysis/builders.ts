/**
 * Builders for analysis tests (not shipped behaviour): VersionStats and parsed SLOs.
 */
import type { VersionStats } from '../../../src/model/result.js';
import { sloSchema, type SloSpec } from '../../../src/experiment/schema.js';

/** Options of {@link versionStats}. */
export interface VersionStatsOptions {
  /** Failed requests. @default 0 */
  errors?: number;
  /** Latency percentiles in ms; missing ones default to p99. @default { p99: 10 } */
  latency?: Partial<VersionStats['latency']>;
}

/** A VersionStats entry with consistent errorRate and plausible latency. */
export function versionStats(version: string, count: number, options: VersionStatsOptions = {}): VersionStats {
  const errors = options.errors ?? 0;
  const p99 = options.latency?.p99 ?? 10;
  const has = count > 0;
  const at = (key: keyof VersionStats['latency']) => (has ? (options.latency?.[key] ?? p99) : null);
  return {
    version,
    count,
    errors,
    errorRate: has ? errors / count : null,
    latency: { p50: at('p50'), p90: at('p90'), p95: at('p95'), p99: at('p99'), 'p99.9': at('p99.9'), max: at('max'), mean: at('mean') },
    rps: count / 10,
  };
}

/** Parses an SLO as written in YAML, so tests exercise the real units ("1%" → 0.01, "250ms" → 250). */
export function slo(input: Record<string, unknown>): SloSpec {
  return sloSchema.parse(input);
}
