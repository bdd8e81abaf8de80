/**
 * The sample recorder: folds the load generator's samples into per-version, per-window latency
 * counts (HDR's buckets, kept sparse: `bucket-counts.ts`) and counters, plus a running HDR histogram
 * per version, and answers the runner's and reports' questions about them.
 * Memory grows with windows × versions, never with the number of samples.
 */
import type { RequestStats, VersionStats } from '../model/result.js';
import { weightedFromCounts, type WeightedSample } from '../analysis/stats/weighted-sample.js';
import { FAULT_ABORT_VERSION } from '../analysis/subject.js';
import { distributionMs, percentileMs, toMicros } from './latency-histogram.js';
import { createBufferedHistogram, type BufferedHistogram } from './buffered-histogram.js';
import { bucketValueMs, countsBytes, createBucketCounts, createBucketMerger, recordMicros, sealCounts, sealedPercentilesMs, type BucketCounts } from './bucket-counts.js';
import { createTimelineCache, timelineOf, type TimelineWindow } from './recorder-timeline.js';
import type { TimelinePoint } from '../model/timeline.js';
import type { SampleRecorder, SampleRecorderOptions } from './recorder-types.js';
import type { Sample } from './types.js';
import { sampleFailed, sampleLatencyMs } from './sample-outcome.js';

export type { SampleRecorder, SampleRecorderOptions, SampleRecorderSize } from './recorder-types.js';

/** Version name used for samples that carry no version header. */
export const UNKNOWN_VERSION = 'unknown';

/** Version name of the aggregate over every version. */
export const ALL_VERSIONS = 'all';

/** One version in one window, or one request name and version. */
interface Cell {
  count: number;
  errors: number;
  /** Exact sum and max of recorded latencies (ms): the buckets' own mean/max are approximations. */
  sumMs: number;
  maxMs: number;
  /** Created on the first latency, so windows of drops only hold no counts. */
  lat: BucketCounts | null;
}

/** One window: its cells by version (see {@link TimelineWindow}). */
interface Window extends TimelineWindow {
  cells: Map<string, Cell>;
}

/** A running total: the same figures over a flat HDR histogram (fast percentile look-ups), fed in batches. */
interface Total {
  count: number;
  errors: number;
  sumMs: number;
  maxMs: number;
  hist: BufferedHistogram | null;
}

/** The percentiles `stats` reports, ascending. */
const STAT_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

/**
 * Windows this far (in windows) behind the newest are sealed: their counts packed into sorted
 * arrays. A late sample (sent in the window, answered after) still lands in its window.
 */
const SEAL_LAG_WINDOWS = 3;

/** Creates a recorder; call `close()` when done to free the histograms. */
export function createSampleRecorder(options: SampleRecorderOptions = {}): SampleRecorder {
  const windowMs = options.windowMs ?? 1000;
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
    throw new RangeError(`windowMs must be a positive number, got ${windowMs}`);
  }
  const windows = new Map<number, Window>();
  // Windows not sealed yet, oldest first.
  const unsealed: number[] = [];
  const versions = new Set<string>();
  // Running totals per version and over all (see SampleRecorderOptions.cumulative).
  const cumulative = options.cumulative ?? true;
  const totals = new Map<string, Total>();
  const total: Total = { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null };
  // Counts every sample, so the timeline knows which windows changed since it last computed them.
  let modifications = 0;
  const cache = createTimelineCache();
  let merger: ReturnType<typeof createBucketMerger> | null = null;
  // Per request name: running totals per version and over all (named samples only).
  const byRequest = new Map<string, { versions: Map<string, Cell>; all: Cell }>();
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let closed = false;

  function cellFor(start: number, version: string): Cell {
    let w = windows.get(start);
    if (w === undefined) {
      w = { cells: new Map(), touched: 0 };
      windows.set(start, w);
      unsealed.push(start);
      sealBefore(start - SEAL_LAG_WINDOWS * windowMs);
    }
    w.touched = ++modifications;
    let cell = w.cells.get(version);
    if (cell === undefined) {
      cell = emptyCell();
      w.cells.set(version, cell);
      versions.add(version);
    }
    return cell;
  }

  /** Seals the windows that started before `limit` (a late sample may unseal one: it is sealed on the next query). */
  function sealBefore(limit: number): void {
    let kept = 0;
    for (const start of unsealed) {
      if (start < limit) sealWindow(start);
      else unsealed[kept++] = start;
    }
    unsealed.length = kept;
  }

  function sealWindow(start: number): void {
    for (const cell of windows.get(start)?.cells.values() ?? []) if (cell.lat !== null) sealCounts(cell.lat);
  }

  function add(cell: Cell, failed: boolean, ms: number | undefined): void {
    cell.count++;
    if (failed) cell.errors++;
    if (ms === undefined) return;
    recordMicros((cell.lat ??= createBucketCounts()), toMicros(ms));
    cell.sumMs += ms;
    if (ms > cell.maxMs) cell.maxMs = ms;
  }

  function addTotal(t: Total, failed: boolean, ms: number | undefined): void {
    t.count++;
    if (failed) t.errors++;
    if (ms === undefined) return;
    (t.hist ??= createBufferedHistogram()).record(toMicros(ms));
    t.sumMs += ms;
    if (ms > t.maxMs) t.maxMs = ms;
  }

  function record(sample: Sample): void {
    if (closed) return;
    const start = Math.floor(sample.time / windowMs) * windowMs;
    const version = sample.version ?? (sample.meshReply === 'fault-abort' ? FAULT_ABORT_VERSION : UNKNOWN_VERSION);
    const failed = sampleFailed(sample);
    // A dropped request was never sent: it has no latency, only its count and error.
    const ms = sampleLatencyMs(sample);
    add(cellFor(start, version), failed, ms);
    if (sample.request !== undefined) {
      let r = byRequest.get(sample.request);
      if (r === undefined) byRequest.set(sample.request, (r = { versions: new Map(), all: emptyCell() }));
      let c = r.versions.get(version);
      if (c === undefined) r.versions.set(version, (c = emptyCell()));
      add(c, failed, ms);
      add(r.all, failed, ms);
    }
    if (start < firstStart) firstStart = start;
    if (start > lastStart) lastStart = start;
    if (!cumulative) return;
    let t = totals.get(version);
    if (t === undefined) totals.set(version, (t = { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null }));
    addTotal(t, failed, ms);
    addTotal(total, failed, ms);
  }

  function emptyCell(): Cell {
    return { count: 0, errors: 0, sumMs: 0, maxMs: 0, lat: null };
  }

  function requestStats(fromMs: number, toMs: number, names: readonly string[] = []): RequestStats[] {
    if (closed) return [];
    const seconds = (toMs - fromMs) / 1000;
    const order = [...names.filter((n) => byRequest.has(n)), ...[...byRequest.keys()].filter((n) => !names.includes(n))];
    return order.map((name) => {
      const r = byRequest.get(name)!;
      const versionsSeen = orderedVersions().filter((v) => r.versions.has(v));
      return { name, stats: [...versionsSeen.map((v) => toStats(v, r.versions.get(v)!, seconds)), toStats(ALL_VERSIONS, r.all, seconds)] };
    });
  }

  function merged(): ReturnType<typeof createBucketMerger> {
    return (merger ??= createBucketMerger());
  }

  /** The cells' figures summed, latencies merged bucket by bucket. */
  function mergeCells(cells: Iterable<Cell>): Cell {
    const m = emptyCell();
    let any = false;
    const into = merged();
    for (const cell of cells) {
      m.count += cell.count;
      m.errors += cell.errors;
      m.sumMs += cell.sumMs;
      if (cell.maxMs > m.maxMs) m.maxMs = cell.maxMs;
      if (cell.lat !== null) {
        into.add(cell.lat);
        any = true;
      }
    }
    const lat = into.take();
    m.lat = any ? lat : null;
    return m;
  }

  function toStats(version: string, m: Cell | Total, seconds: number): VersionStats {
    let pct: readonly (number | null)[];
    let n: number;
    if ('hist' in m) {
      const h = m.hist?.histogram() ?? null;
      n = h?.totalCount ?? 0;
      pct = STAT_PERCENTILES.map((p) => (h === null ? null : percentileMs(h, p)));
    } else {
      n = m.lat?.total ?? 0;
      if (m.lat !== null) sealCounts(m.lat);
      pct = m.lat === null ? STAT_PERCENTILES.map(() => null) : sealedPercentilesMs(m.lat, STAT_PERCENTILES);
    }
    const [p50, p90, p95, p99, p999] = pct;
    return {
      version,
      count: m.count,
      errors: m.errors,
      errorRate: m.count === 0 ? null : m.errors / m.count,
      latency: {
        p50: p50!,
        p90: p90!,
        p95: p95!,
        p99: p99!,
        'p99.9': p999!,
        max: n === 0 ? null : m.maxMs,
        mean: n === 0 ? null : m.sumMs / n,
      },
      rps: seconds > 0 ? m.count / seconds : 0,
    };
  }

  function orderedVersions(): string[] {
    const named = [...versions].filter((v) => v !== UNKNOWN_VERSION && v !== FAULT_ABORT_VERSION).sort();
    return [...named, ...[FAULT_ABORT_VERSION, UNKNOWN_VERSION].filter((v) => versions.has(v))];
  }

  function stats(fromMs: number, toMs: number): VersionStats[] {
    if (closed) return [];
    const seconds = (toMs - fromMs) / 1000;
    // Every window inside the range: the running totals are the answer, no merge needed.
    if (cumulative && firstStart + windowMs > fromMs && lastStart < toMs) {
      return [...orderedVersions().map((v) => toStats(v, totals.get(v)!, seconds)), toStats(ALL_VERSIONS, total, seconds)];
    }
    const inRange = [...windows].filter(([start]) => start < toMs && start + windowMs > fromMs).map(([, w]) => w);
    const cellsOf = (version: string) => inRange.flatMap((w) => (version === ALL_VERSIONS ? [...w.cells.values()] : (w.cells.get(version) ?? [])));
    return [...orderedVersions(), ALL_VERSIONS].map((v) => toStats(v, mergeCells(cellsOf(v)), seconds));
  }

  function timeline(options: { bucketMs?: number } = {}): TimelinePoint[] {
    if (closed) return [];
    const bucketMs = options.bucketMs ?? windowMs;
    if (!(bucketMs > 0) || bucketMs % windowMs !== 0) throw new RangeError(`bucketMs must be a positive multiple of the window (${windowMs} ms), got ${bucketMs}`);
    return timelineOf(windows, orderedVersions(), ALL_VERSIONS, bucketMs, cache, modifications);
  }

  function distribution(version: string): WeightedSample {
    if (closed) return weightedFromCounts([]);
    if (cumulative) {
      const h = (version === ALL_VERSIONS ? total.hist : totals.get(version)?.hist)?.histogram();
      return h ? distributionMs(h) : weightedFromCounts([]);
    }
    const cells = [...windows.values()].flatMap((w) => [...w.cells].filter(([v]) => version === ALL_VERSIONS || v === version).map(([, c]) => c));
    const lat = mergeCells(cells).lat;
    if (lat === null) return weightedFromCounts([]);
    const pairs: [number, number][] = [];
    for (let e = 0; e < lat.size; e++) pairs.push([bucketValueMs(lat.index[e]!), lat.count[e]!]);
    return weightedFromCounts(pairs);
  }

  function size() {
    let histograms = 0;
    let estimatedBytes = 0;
    const cells = [...[...windows.values()].flatMap((w) => [...w.cells.values()]), ...[...byRequest.values()].flatMap((r) => [...r.versions.values(), r.all])];
    for (const cell of cells) {
      if (cell.lat === null) continue;
      histograms++;
      estimatedBytes += countsBytes(cell.lat);
    }
    return { windows: windows.size, histograms, estimatedBytes };
  }

  function close(): void {
    closed = true;
    for (const t of [...totals.values(), total]) t.hist?.destroy();
    byRequest.clear();
    total.hist = null;
    windows.clear();
    unsealed.length = 0;
    cache.byBucket.clear();
    merger = null;
    versions.clear();
    totals.clear();
  }

  return { record, stats, requestStats, distribution, timeline, size, close };
}
