/**
 * One second of one version's figures, as the report's time-series charts draw them.
 */

/** One version's figures in one recorder window, for report charts. */
export interface TimelinePoint {
  /** Window start, epoch ms (aligned to a multiple of `windowMs`). */
  time: number;
  /** Version that served the requests, "unknown" (no version header), or "all" (every version of the window). */
  version: string;
  /** Requests counted (responses + failures + drops). */
  count: number;
  /** Requests that failed (status 0, status >= 500, or an `error` set). */
  errors: number;
  /** Median latency, ms; null when no latency was recorded (e.g. only drops). */
  p50: number | null;
  /** 95th percentile latency, ms; null when no latency was recorded. */
  p95: number | null;
  /** 99th percentile latency, ms; null when no latency was recorded. */
  p99: number | null;
}
