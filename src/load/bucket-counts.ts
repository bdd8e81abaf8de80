/**
 * Sparse latency counts with exactly the buckets of the recorder's HDR histograms
 * (`latency-histogram.ts`: 1 µs .. 1 h, 3 significant digits), for the recorder's one-second cells.
 *
 * Why not an HDR histogram per cell: hdr-histogram-js answers a percentile (and merges) by visiting
 * every one of its 23,552 buckets, and its compact "packed" array makes each visit a tree walk, so a
 * timeline point (p50, p95, p99, plus the merge into "all") cost 10–15 ms. A cell here holds only its
 * non-empty buckets, sorted, and answers all percentiles in one pass over them; the values it reports
 * are HDR's own (`getValueAtPercentile`: the highest value equivalent to the bucket's), which
 * `bucket-counts.test.ts` checks against hdr-histogram-js.
 */
import { HIGHEST_TRACKABLE_MICROS, MICROS_PER_MS } from './latency-histogram.js';

// HDR's layout for lowestDiscernibleValue 1 and 3 significant digits: unitMagnitude 0, sub-buckets
// of 2048 (half 1024); bucket k ≥ 1 covers [1024·2^k, 2048·2^k) in steps of 2^k.
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;

/** The number of buckets (HDR's countsArrayLength for this configuration). */
export const BUCKET_COUNT = bucketsToCover(HIGHEST_TRACKABLE_MICROS);

function bucketsToCover(value: number): number {
  let smallestUntrackable = 2 * SUB_BUCKET_HALF_COUNT;
  let buckets = 1;
  while (smallestUntrackable <= value) {
    smallestUntrackable *= 2;
    buckets++;
  }
  return (buckets + 1) * SUB_BUCKET_HALF_COUNT;
}

/** HDR's counts-array index of an integer value in 0 .. HIGHEST_TRACKABLE_MICROS (< 2^32). */
export function bucketIndex(micros: number): number {
  const bucket = Math.max(31 - Math.clz32(micros) - SUB_BUCKET_HALF_COUNT_MAGNITUDE, 0);
  return bucket * SUB_BUCKET_HALF_COUNT + (micros >>> bucket);
}

/** Bucket `index` as [its lowest value (µs), its width]. */
function bucketRange(index: number): [number, number] {
  let bucket = Math.floor(index / SUB_BUCKET_HALF_COUNT) - 1;
  let sub = (index % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return [sub * 2 ** bucket, 2 ** bucket];
}

/** The highest value (µs) of bucket `index`: what HDR reports for a value in it. */
export function highestValueOf(index: number): number {
  const [lowest, width] = bucketRange(index);
  return lowest + width - 1;
}

/** The lowest value (µs) of bucket `index`: a value HDR counts in that bucket. */
export function lowestValueOf(index: number): number {
  return bucketRange(index)[0];
}

// The reported value of every bucket, in ms, computed once (23,552 entries, 184 KB).
const HIGHEST_MS = Float64Array.from({ length: BUCKET_COUNT }, (_, i) => highestValueOf(i) / MICROS_PER_MS);

/** The value (ms) HDR reports for bucket `index`. */
export function bucketValueMs(index: number): number {
  return HIGHEST_MS[index]!;
}

/**
 * One cell's counts: values go to `pending` (a Map, cheap to add to); {@link sealCounts} folds them
 * into the sorted arrays (6 bytes a non-empty bucket), which is what every query reads.
 */
export interface BucketCounts {
  /** Values recorded. */
  total: number;
  /** Non-empty buckets, ascending (first `size` entries). */
  index: Uint16Array;
  /** Their counts. */
  count: Uint32Array | Float64Array;
  /** Entries in use. */
  size: number;
  /** Values recorded since the last seal, by bucket index. */
  pending: Map<number, number> | null;
}

const EMPTY_INDEX = new Uint16Array(0);
const EMPTY_COUNT = new Uint32Array(0);

/** An empty cell. */
export function createBucketCounts(): BucketCounts {
  return { total: 0, index: EMPTY_INDEX, count: EMPTY_COUNT, size: 0, pending: null };
}

/** Counts one value (integer µs, already clamped to the histograms' range). */
export function recordMicros(c: BucketCounts, micros: number): void {
  const i = bucketIndex(micros);
  const p = (c.pending ??= new Map());
  p.set(i, (p.get(i) ?? 0) + 1);
  c.total++;
  // A long-lived cell (a request name's running figures) is packed as it goes, so its Map stays small.
  if (p.size >= MAX_PENDING) sealCounts(c);
}

/** Distinct pending buckets at which a cell is sealed while recording. */
const MAX_PENDING = 4096;

/** Folds the pending values into the sorted arrays. */
export function sealCounts(c: BucketCounts): void {
  const p = c.pending;
  if (p === null) return;
  c.pending = null;
  const fresh = Uint16Array.from(p.keys()).sort();
  // Merge the two ascending lists (the sealed entries and the fresh keys) into new arrays.
  const index = new Uint16Array(c.size + fresh.length);
  let max = 0;
  const merged: number[] = [];
  let a = 0;
  let b = 0;
  let n = 0;
  while (a < c.size || b < fresh.length) {
    const ia = a < c.size ? c.index[a]! : BUCKET_COUNT;
    const ib = b < fresh.length ? fresh[b]! : BUCKET_COUNT;
    const i = ia < ib ? ia : ib;
    let k = 0;
    if (ia === i) k += c.count[a++]!;
    if (ib === i) k += p.get(fresh[b++]!)!;
    index[n] = i;
    merged.push(k);
    if (k > max) max = k;
    n++;
  }
  // A bucket of one cell past 2^32 − 1 values would need billions of requests a window; stay exact anyway.
  c.count = max > 0xffffffff ? Float64Array.from(merged) : Uint32Array.from(merged);
  c.index = n === index.length ? index : index.slice(0, n);
  c.size = n;
}

/** Bytes the cell holds (typed arrays plus an estimate of ~40 bytes per pending Map entry). */
export function countsBytes(c: BucketCounts): number {
  return c.index.byteLength + c.count.byteLength + (c.pending?.size ?? 0) * 40;
}

/**
 * The values (ms) at `percentiles` (0 < p ≤ 100, ascending) of a sealed cell, in one pass: HDR's
 * `getValueAtPercentile` (the first bucket whose running count reaches ⌈p/100 · total⌉, at least 1;
 * its highest equivalent value). Empty cell: nulls.
 */
export function sealedPercentilesMs(c: BucketCounts, percentiles: readonly number[]): (number | null)[] {
  const out: (number | null)[] = percentiles.map(() => null);
  if (c.total === 0) return out;
  let k = 0;
  let target = countAtPercentile(percentiles[0]!, c.total);
  let running = 0;
  for (let e = 0; e < c.size && k < percentiles.length; e++) {
    running += c.count[e]!;
    while (k < percentiles.length && running >= target) {
      out[k++] = HIGHEST_MS[c.index[e]!]!;
      if (k < percentiles.length) target = countAtPercentile(percentiles[k]!, c.total);
    }
  }
  return out;
}

/** HDR's rank for a percentile: ⌈p/100 · n⌉ guarded against one ulp of floating-point excess, at least 1. */
export function countAtPercentile(percentile: number, total: number): number {
  const fp = (Math.min(percentile, 100) / 100) * total;
  const ulp = fp === 0 ? 0 : 2 ** (Math.floor(Math.log2(fp)) - 52);
  return Math.max(Math.ceil(fp - ulp), 1);
}

/**
 * Adds cells together without allocating per cell: one dense array of every bucket (184 KB, kept
 * for reuse) and the list of buckets touched. {@link BucketMerger.take} gives the sum as a sealed
 * cell and clears what was touched.
 */
export interface BucketMerger {
  /** Adds a cell (sealing it first). */
  add(c: BucketCounts): void;
  /** The sum of the cells added since the last take, as a sealed cell; the merger is empty after. */
  take(): BucketCounts;
}

/** Creates a merger. */
export function createBucketMerger(): BucketMerger {
  const dense = new Float64Array(BUCKET_COUNT);
  const touched = new Uint16Array(BUCKET_COUNT);
  let n = 0;
  let total = 0;
  return {
    add(c) {
      sealCounts(c);
      for (let e = 0; e < c.size; e++) {
        const i = c.index[e]!;
        if (dense[i] === 0) touched[n++] = i;
        dense[i]! += c.count[e]!;
      }
      total += c.total;
    },
    take() {
      const out = createBucketCounts();
      if (n > 0) {
        const index = touched.slice(0, n).sort();
        // No bucket holds more than the total: 32-bit counts unless the total passes 2^32 − 1.
        const count = total > 0xffffffff ? new Float64Array(n) : new Uint32Array(n);
        for (let e = 0; e < n; e++) {
          const i = index[e]!;
          count[e] = dense[i]!;
          dense[i] = 0;
        }
        Object.assign(out, { index, count, size: n, total });
      }
      n = 0;
      total = 0;
      return out;
    },
  };
}
