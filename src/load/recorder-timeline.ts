/**
 * The recorder's timeline: one point per version (and "all") per time bucket, a bucket being one
 * window or several merged. Percentiles of a merged bucket are those of the merged counts (exact, as
 * if the bucket had been one window), never an average of the windows' percentiles.
 */
import type { TimelinePoint } from '../model/timeline.js';
import { createBucketMerger, sealCounts, sealedPercentilesMs, type BucketCounts } from './bucket-counts.js';

/** One version in one window, as the timeline reads it. */
export interface TimelineCell {
  count: number;
  errors: number;
  /** Latencies; null when the cell holds drops only. */
  lat: BucketCounts | null;
}

/** One window: its cells by version, and when a sample last landed in it. */
export interface TimelineWindow {
  cells: Map<string, TimelineCell>;
  /** Value of the recorder's modification counter at the window's last sample. */
  touched: number;
}

/** Points of buckets already computed, kept while no sample lands in their windows again. */
export interface TimelineCache {
  bucketMs: number;
  byBucket: Map<number, { at: number; points: TimelinePoint[] }>;
}

/** Creates an empty cache. */
export function createTimelineCache(): TimelineCache {
  return { bucketMs: 0, byBucket: new Map() };
}

const PERCENTILES = [50, 95, 99] as const;

/**
 * The points of every bucket of `bucketMs` (a multiple of the window width, buckets aligned to the
 * epoch) ascending, each with its versions in `order` then "all". A bucket whose windows had no
 * sample since it was computed comes from `cache`; `now` is the current modification count.
 */
export function timelineOf(
  windows: ReadonlyMap<number, TimelineWindow>,
  order: readonly string[],
  all: string,
  bucketMs: number,
  cache: TimelineCache,
  now: number,
): TimelinePoint[] {
  if (cache.bucketMs !== bucketMs) {
    cache.bucketMs = bucketMs;
    cache.byBucket.clear();
  }
  const buckets = new Map<number, TimelineWindow[]>();
  for (const start of [...windows.keys()].sort((a, b) => a - b)) {
    const b = Math.floor(start / bucketMs) * bucketMs;
    let list = buckets.get(b);
    if (list === undefined) buckets.set(b, (list = []));
    list.push(windows.get(start)!);
  }
  const merger = createBucketMerger();
  const out: TimelinePoint[] = [];
  for (const [start, list] of buckets) {
    const cached = cache.byBucket.get(start);
    if (cached !== undefined && list.every((w) => w.touched <= cached.at)) {
      // Copies: a caller changing a point it was given must not change the cache.
      for (const p of cached.points) out.push({ ...p });
      continue;
    }
    const points = bucketPoints(start, list, order, all, merger);
    cache.byBucket.set(start, { at: now, points });
    for (const p of points) out.push({ ...p });
  }
  return out;
}

function bucketPoints(start: number, list: readonly TimelineWindow[], order: readonly string[], all: string, merger: ReturnType<typeof createBucketMerger>): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let allCount = 0;
  let allErrors = 0;
  let allLat = false;
  for (const version of order) {
    let count = 0;
    let errors = 0;
    let seen = false;
    const lats: BucketCounts[] = [];
    for (const w of list) {
      const cell = w.cells.get(version);
      if (cell === undefined) continue;
      seen = true;
      count += cell.count;
      errors += cell.errors;
      if (cell.lat !== null) lats.push(cell.lat);
    }
    if (!seen) continue;
    // One window's cell is read as it is; several are summed bucket by bucket.
    if (lats.length > 1) for (const lat of lats) merger.add(lat);
    const merged = lats.length === 0 ? null : lats.length === 1 ? lats[0]! : merger.take();
    points.push(point(start, version, count, errors, merged));
    allCount += count;
    allErrors += errors;
    allLat ||= lats.length > 0;
  }
  for (const w of list) for (const cell of w.cells.values()) if (cell.lat !== null) merger.add(cell.lat);
  const merged = merger.take();
  points.push(point(start, all, allCount, allErrors, allLat ? merged : null));
  return points;
}

function point(time: number, version: string, count: number, errors: number, lat: BucketCounts | null): TimelinePoint {
  if (lat === null || lat.total === 0) return { time, version, count, errors, p50: null, p95: null, p99: null };
  sealCounts(lat);
  const [p50, p95, p99] = sealedPercentilesMs(lat, PERCENTILES);
  return { time, version, count, errors, p50: p50!, p95: p95!, p99: p99! };
}
