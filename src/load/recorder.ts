/**
 * The sample recorder: folds the load generator's samples into per-version, per-window HDR
 * histograms and counters, and answers the runner's and reports' questions about them.
 * Memory grows with windows × versions, never with the number of samples.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { RequestStats, VersionStats } from '../model/result.js';
import { weightedFromCounts, type WeightedSample } from '../analysis/stats/weighted-sample.js';
import { FAULT_ABORT_VERSION } from '../analysis/subject.js';
import { createLatencyHistogram, createTotalHistogram, distributionMs, percentileMs, toMicros } from './latency-histogram.js';
import type { TimelinePoint } from '../model/timeline.js';
import type { SampleRecorder, SampleRecorderOptions } from './recorder-types.js';
import type { Sample } from './types.js';

export type { SampleRecorder, SampleRecorderOptions, SampleRecorderSize } from './recorder-types.js';

/** Version name used for samples that carry no version header. */
export const UNKNOWN_VERSION = 'unknown';

/** Version name of the aggregate over every version. */
export const ALL_VERSIONS = 'all';

/** One version in one window. */
interface Cell {
  count: number;
  errors: number;
  /** Exact sum and max of recorded latencies (ms): HDR's own mean/max are bucket approximations. */
  sumMs: number;
  maxMs: number;
  /** Created on the first latency, so windows of drops only cost no histogram. */
  hist: Histogram | null;
}

/** Running merge of cells, for one output row. */
interface Merged {
  count: number;
  errors: number;
  sumMs: number;
  maxMs: number;
  hist: Histogram | null;
}

/** Creates a recorder; call `close()` when done to free the histograms. */
export function createSampleRecorder(options: SampleRecorderOptions = {}): SampleRecorder {
  const windowMs = options.windowMs ?? 1000;
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
    throw new RangeError(`windowMs must be a positive number, got ${windowMs}`);
  }
  const windows = new Map<number, Map<string, Cell>>();
  const versions = new Set<string>();
  // Running totals per version and over all (see SampleRecorderOptions.cumulative).
  const cumulative = options.cumulative ?? true;
  const totals = new Map<string, Cell>();
  const total: Cell = { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null };
  // Per request name: running totals per version and over all (named samples only).
  const byRequest = new Map<string, { versions: Map<string, Cell>; all: Cell }>();
  let firstStart = Infinity;
  let lastStart = -Infinity;
  let closed = false;

  function cellFor(start: number, version: string): Cell {
    let byVersion = windows.get(start);
    if (byVersion === undefined) {
      byVersion = new Map();
      windows.set(start, byVersion);
    }
    let cell = byVersion.get(version);
    if (cell === undefined) {
      cell = { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null };
      byVersion.set(version, cell);
      versions.add(version);
    }
    return cell;
  }

  function add(cell: Cell, failed: boolean, ms: number | undefined, make: () => Histogram): void {
    cell.count++;
    if (failed) cell.errors++;
    if (ms === undefined) return;
    cell.hist ??= make();
    cell.hist.recordValue(toMicros(ms));
    cell.sumMs += ms;
    if (ms > cell.maxMs) cell.maxMs = ms;
  }

  function record(sample: Sample): void {
    if (closed) return;
    const start = Math.floor(sample.time / windowMs) * windowMs;
    const version = sample.version ?? (sample.meshReply === 'fault-abort' ? FAULT_ABORT_VERSION : UNKNOWN_VERSION);
    const failed = sample.status === 0 || sample.status >= 500 || sample.error !== undefined;
    // A dropped request was never sent: it has no latency, only its count and error.
    const ms = sample.error === 'dropped' ? undefined : sample.latencyMs > 0 ? sample.latencyMs : 0;
    add(cellFor(start, version), failed, ms, createLatencyHistogram);
    if (sample.request !== undefined) {
      let r = byRequest.get(sample.request);
      if (r === undefined) byRequest.set(sample.request, (r = { versions: new Map(), all: emptyCell() }));
      let c = r.versions.get(version);
      if (c === undefined) r.versions.set(version, (c = emptyCell()));
      add(c, failed, ms, createLatencyHistogram);
      add(r.all, failed, ms, createLatencyHistogram);
    }
    if (start < firstStart) firstStart = start;
    if (start > lastStart) lastStart = start;
    if (!cumulative) return;
    let t = totals.get(version);
    if (t === undefined) totals.set(version, (t = { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null }));
    add(t, failed, ms, createTotalHistogram);
    add(total, failed, ms, createTotalHistogram);
  }

  function emptyCell(): Cell {
    return { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null };
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

  function emptyMerged(): Merged {
    return { count: 0, errors: 0, sumMs: 0, maxMs: 0, hist: null };
  }

  function mergeInto(m: Merged, cell: Cell): void {
    m.count += cell.count;
    m.errors += cell.errors;
    m.sumMs += cell.sumMs;
    if (cell.maxMs > m.maxMs) m.maxMs = cell.maxMs;
    if (cell.hist !== null) {
      m.hist ??= createLatencyHistogram();
      m.hist.add(cell.hist);
    }
  }

  function toStats(version: string, m: Merged, seconds: number): VersionStats {
    const h = m.hist;
    const n = h?.totalCount ?? 0;
    const pct = (p: number) => (h === null ? null : percentileMs(h, p));
    return {
      version,
      count: m.count,
      errors: m.errors,
      errorRate: m.count === 0 ? null : m.errors / m.count,
      latency: {
        p50: pct(50),
        p90: pct(90),
        p95: pct(95),
        p99: pct(99),
        'p99.9': pct(99.9),
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
    const merged = new Map<string, Merged>(orderedVersions().map((v) => [v, emptyMerged()]));
    const all = emptyMerged();
    for (const [start, byVersion] of windows) {
      if (start >= toMs || start + windowMs <= fromMs) continue;
      for (const [version, cell] of byVersion) {
        mergeInto(merged.get(version)!, cell);
        mergeInto(all, cell);
      }
    }
    const out = [...merged].map(([version, m]) => toStats(version, m, seconds));
    out.push(toStats(ALL_VERSIONS, all, seconds));
    for (const m of [...merged.values(), all]) m.hist?.destroy();
    return out;
  }

  function point(time: number, version: string, count: number, errors: number, h: Histogram | null): TimelinePoint {
    const pct = (p: number) => (h === null ? null : percentileMs(h, p));
    return { time, version, count, errors, p50: pct(50), p95: pct(95), p99: pct(99) };
  }

  function timeline(): TimelinePoint[] {
    if (closed) return [];
    const order = orderedVersions();
    const out: TimelinePoint[] = [];
    for (const start of [...windows.keys()].sort((a, b) => a - b)) {
      const byVersion = windows.get(start)!;
      const all = emptyMerged();
      for (const version of order) {
        const cell = byVersion.get(version);
        if (cell === undefined) continue;
        out.push(point(start, version, cell.count, cell.errors, cell.hist));
        mergeInto(all, cell);
      }
      out.push(point(start, ALL_VERSIONS, all.count, all.errors, all.hist));
      all.hist?.destroy();
    }
    return out;
  }

  function distribution(version: string): WeightedSample {
    if (closed) return weightedFromCounts([]);
    if (cumulative) {
      const h = version === ALL_VERSIONS ? total.hist : totals.get(version)?.hist;
      return h ? distributionMs(h) : weightedFromCounts([]);
    }
    const m = emptyMerged();
    for (const byVersion of windows.values()) {
      for (const [v, cell] of byVersion) if (version === ALL_VERSIONS || v === version) mergeInto(m, cell);
    }
    const d = m.hist ? distributionMs(m.hist) : weightedFromCounts([]);
    m.hist?.destroy();
    return d;
  }

  function size() {
    let histograms = 0;
    let estimatedBytes = 0;
    for (const byVersion of windows.values()) {
      for (const cell of byVersion.values()) {
        if (cell.hist === null) continue;
        histograms++;
        estimatedBytes += cell.hist.estimatedFootprintInBytes;
      }
    }
    for (const r of byRequest.values()) {
      for (const cell of [...r.versions.values(), r.all]) {
        if (cell.hist === null) continue;
        histograms++;
        estimatedBytes += cell.hist.estimatedFootprintInBytes;
      }
    }
    return { windows: windows.size, histograms, estimatedBytes };
  }

  function close(): void {
    closed = true;
    for (const byVersion of windows.values()) {
      for (const cell of byVersion.values()) cell.hist?.destroy();
    }
    for (const t of [...totals.values(), total]) t.hist?.destroy();
    for (const r of byRequest.values()) for (const c of [...r.versions.values(), r.all]) c.hist?.destroy();
    byRequest.clear();
    total.hist = null;
    windows.clear();
    versions.clear();
    totals.clear();
  }

  return { record, stats, requestStats, distribution, timeline, size, close };
}
