/**
 * Contracts of the sample recorder: what the runner, the SLO evaluator and the reports read.
 */
import type { TimelinePoint } from '../model/timeline.js';
import type { RequestStats, VersionStats } from '../model/result.js';
import type { Sample } from './types.js';
import type { WeightedSample } from '../analysis/stats/weighted-sample.js';


/** Options of {@link SampleRecorder}. */
export interface SampleRecorderOptions {
  /**
   * Width of a window, ms. Windows are aligned to the epoch (`floor(time / windowMs) * windowMs`),
   * so the window of a sample does not depend on when recording started.
   * @default 1000
   */
  windowMs?: number;
  /**
   * Also keep running totals per version (one flat-array histogram each), so `stats` over the
   * whole recording — what the live progress view asks four times a second, and what each step is
   * judged on — costs a few percentile look-ups instead of a merge of every window's histogram
   * (a pass over every window's counts).
   * Off only to test that both paths agree.
   * @default true
   */
  cumulative?: boolean;
}

/** Size of what a recorder holds; grows with windows × versions, never with samples. */
export interface SampleRecorderSize {
  /** Windows holding at least one sample. */
  windows: number;
  /** Latency counts allocated (at most one per version per window, plus one per request name and version). */
  histograms: number;
  /** Estimated footprint of those counts, bytes. */
  estimatedBytes: number;
}

/**
 * Folds samples into per-version, per-window HDR histograms and counters; nothing per sample is kept.
 *
 * Samples without a version header (connection errors, timeouts, drops, and responses from a
 * backend that does not set the header) are recorded under version "unknown"; the mesh's own
 * fault-injection aborts (`sample.meshReply`) under "mesh:fault-abort". The recorder does not guess
 * who would have served them: the SLO evaluator decides how they are attributed.
 */
export interface SampleRecorder {
  /**
   * Folds one sample: version = `sample.version`, else "mesh:fault-abort" for a fault abort, else "unknown"; it is an error when status is 0,
   * status >= 500, or `sample.error` is set (a response cut short keeps its status but failed).
   * Its latency goes into the histograms unless it was "dropped" (never sent: no latency to measure).
   * Ignored after {@link SampleRecorder.close}.
   */
  record(sample: Sample): void;
  /**
   * Statistics merged over every window intersecting `[fromMs, toMs)` (epoch ms): one entry per
   * version the recorder has seen (count 0 when it has no sample in the range, so a silent canary
   * is visible), sorted by name with "mesh:fault-abort" and "unknown" after the named versions, then "all".
   * Percentiles and max are in ms (null when no latency was recorded); `errorRate` is null when
   * count is 0; `rps = count / ((toMs - fromMs) / 1000)`. Whole windows are counted, so align
   * `fromMs`/`toMs` to `windowMs` for exact rates.
   */
  stats(fromMs: number, toMs: number): VersionStats[];
  /**
   * The latency distribution of `version` over the whole recording (ms, one entry per histogram
   * bucket), for rank tests between versions; empty when the version recorded no latency.
   */
  distribution(version: string): WeightedSample;
  /**
   * Statistics per request name (`sample.request`) and version over the whole recording, as
   * {@link SampleRecorder.stats} gives them (rps over `[fromMs, toMs)`), names in `names` order
   * then any other name seen; empty when no sample carried a name. One histogram per name and
   * version: the names are bounded by the schema (at most 50).
   */
  requestStats(fromMs: number, toMs: number, names?: readonly string[]): RequestStats[];
  /**
   * Per window (ascending) and per version present in it, plus an "all" point per window; with
   * `bucketMs` (a multiple of the window width), per bucket of that width aligned to the epoch,
   * each bucket's windows merged: counts summed and percentiles of the merged latency counts
   * (exactly those of one window that wide, never an average of percentiles). Percentiles are HDR's
   * value at percentile (3 significant digits). A bucket is computed once and kept until a sample
   * lands in one of its windows again.
   * @throws RangeError when `bucketMs` is not a positive multiple of the window width
   */
  timeline(options?: { bucketMs?: number }): TimelinePoint[];
  /** What the recorder holds now (to check memory stays bounded). */
  size(): SampleRecorderSize;
  /** Frees every histogram; later `record` calls are ignored and queries return empty lists. */
  close(): void;
}
