/**
 * Increments of cumulative counters between two readings of the same series (one Prometheus
 * instant query of raw counters, read again and again during a step), by Prometheus's own rules:
 * - a series seen at the first reading is the baseline: only what it gains after counts;
 * - a series first seen later was born after the first reading (a version's first requests, its
 *   first 5xx: Istio creates a series at its first request), so all of its value counts — treated
 *   as a baseline, a canary's first errors would be lost (what `increase()` does at a series' start);
 * - a value below the last one is a counter reset (a restarted proxy): the new value is the increment;
 * - a series missing from a reading (a failed scrape, gone stale) keeps its last value, so when it
 *   comes back only its gain counts.
 * Pure.
 */
import type { MetricSeries } from './types.js';

/** One series' increment since the last reading. */
export interface SeriesIncrement {
  /** The series' labels. */
  labels: Record<string, string>;
  /** What it gained (≥ 0). */
  increment: number;
}

/** Tracks counters across readings. */
export interface CounterIncrements {
  /**
   * Takes one reading and returns each series' gain since the last one; the first reading sets the
   * baseline and returns undefined. Series with a value that is not a finite number ≥ 0 are skipped.
   */
  update(series: readonly MetricSeries[]): SeriesIncrement[] | undefined;
}

/** A series' identity: its labels, sorted. */
export function seriesKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Creates the tracker (the first {@link CounterIncrements.update} is the baseline). */
export function createCounterIncrements(): CounterIncrements {
  const last = new Map<string, number>();
  let started = false;
  return {
    update(series) {
      const out: SeriesIncrement[] = [];
      for (const s of series) {
        if (!Number.isFinite(s.value) || s.value < 0) continue;
        const key = seriesKey(s.labels);
        const before = last.get(key);
        last.set(key, s.value);
        if (!started) continue;
        const increment = before === undefined ? s.value : s.value >= before ? s.value - before : s.value;
        out.push({ labels: s.labels, increment });
      }
      if (!started) {
        started = true;
        return undefined;
      }
      return out;
    },
  };
}
