import { describe, expect, it } from 'vitest';
import type { JsHistogram } from 'hdr-histogram-js';
import { createSeededRandom } from '../seeded-random.js';
import { BUCKET_COUNT, bucketIndex, bucketValueMs, countAtPercentile, createBucketCounts, createBucketMerger, highestValueOf, lowestValueOf, recordMicros, sealCounts, sealedPercentilesMs } from './bucket-counts.js';
import { createTotalHistogram, HIGHEST_TRACKABLE_MICROS, percentileMs } from './latency-histogram.js';

// The reference: hdr-histogram-js itself, configured as the recorder's histograms are (flat 32-bit
// buckets: the same layout as packed ones, and fast to query).
const hdr = () => createTotalHistogram() as JsHistogram;

describe('bucket layout', () => {
  it('has as many buckets as the HDR histogram it mirrors', () => {
    expect(BUCKET_COUNT).toBe(hdr().countsArrayLength);
  });

  it("puts every value in HDR's bucket and reports HDR's highest equivalent value for it", () => {
    const h = hdr();
    const r = createSeededRandom(3);
    // Every value up to 70,000 µs (the first bucket boundaries, exhaustively), the edges of each
    // power of two, and random values over the whole range up to the highest trackable one.
    const values: number[] = Array.from({ length: 70_000 }, (_, i) => i);
    for (let k = 11; k < 32; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
    for (let i = 0; i < 200_000; i++) values.push(Math.floor(Math.exp(r() * Math.log(HIGHEST_TRACKABLE_MICROS))));
    values.push(HIGHEST_TRACKABLE_MICROS);
    for (const v of values.filter((x) => x <= HIGHEST_TRACKABLE_MICROS)) {
      const i = bucketIndex(v);
      if (i !== h.countsArrayIndex(v) || highestValueOf(i) !== h.highestEquivalentValue(v) || lowestValueOf(i) !== h.lowestEquivalentValue(v)) {
        const mine = { v, i, highest: highestValueOf(i), lowest: lowestValueOf(i) };
        expect(mine).toEqual({ v, i: h.countsArrayIndex(v), highest: h.highestEquivalentValue(v), lowest: h.lowestEquivalentValue(v) });
      }
    }
  });
});

describe('percentiles', () => {
  it("ranks as HDR's getValueAtPercentile, whatever the count (ulp guard included)", () => {
    for (const n of [1, 2, 3, 7, 10, 99, 100, 101, 999, 1000, 1001, 12_345, 100_000, 2 ** 32 + 5]) {
      for (const p of [50, 90, 95, 99, 99.9, 100]) {
        const fp = (p / 100) * n;
        const ulp = 2 ** (Math.floor(Math.log2(fp)) - 52);
        expect(countAtPercentile(p, n)).toBe(Math.max(Math.ceil(fp - ulp), 1));
      }
    }
    // 99.9% of 1000 is 999.0000000000001 in floating point: HDR's guard makes it 999, not 1000.
    expect(countAtPercentile(99.9, 1000)).toBe(999);
  });

  it('equals hdr-histogram-js on random cells: skewed, tiny, clamped, and sealed in several rounds', () => {
    const r = createSeededRandom(5);
    const ps = [50, 90, 95, 99, 99.9];
    for (let trial = 0; trial < 300; trial++) {
      const h = hdr();
      const c = createBucketCounts();
      const n = trial % 10 === 0 ? 1 + Math.floor(r() * 3) : Math.floor(r() * 3000) + 1;
      for (let i = 0; i < n; i++) {
        const shape = r();
        const us = shape < 0.01 ? HIGHEST_TRACKABLE_MICROS : shape < 0.05 ? Math.floor(r() * 50) : Math.round(1000 * 5 * Math.exp(1.2 * (r() + r() + r() - 1.5)));
        h.recordValue(us);
        recordMicros(c, us);
        if (r() < 0.002) sealCounts(c); // sealed mid-way, then added to (a late sample)
      }
      sealCounts(c);
      expect(sealedPercentilesMs(c, ps)).toEqual(ps.map((p) => percentileMs(h, p)));
      h.destroy();
    }
  });

  it('answers null for an empty cell', () => {
    expect(sealedPercentilesMs(createBucketCounts(), [50, 99])).toEqual([null, null]);
  });
});

describe('createBucketMerger', () => {
  it('sums cells exactly as HDR add does, and is empty again after take', () => {
    const r = createSeededRandom(8);
    const merger = createBucketMerger();
    for (let round = 0; round < 20; round++) {
      const sum = hdr();
      for (let k = 0; k < 4; k++) {
        const part = hdr();
        const c = createBucketCounts();
        for (let i = 0; i < 500; i++) {
          const us = Math.floor(2000 * Math.exp(2 * r()));
          part.recordValue(us);
          recordMicros(c, us);
        }
        sum.add(part);
        merger.add(c);
        part.destroy();
      }
      const merged = merger.take();
      expect(merged.total).toBe(sum.totalCount);
      expect(sealedPercentilesMs(merged, [50, 95, 99])).toEqual([50, 95, 99].map((p) => percentileMs(sum, p)));
      let n = 0;
      for (let e = 0; e < merged.size; e++) {
        expect(merged.count[e]).toBe(sum.getCountAtIndex(merged.index[e]!));
        n += merged.count[e]!;
      }
      expect(n).toBe(sum.totalCount);
      expect(bucketValueMs(merged.index[0]!)).toBe(sum.highestEquivalentValue(sum.minNonZeroValue) / 1000);
      sum.destroy();
    }
    expect(merger.take()).toMatchObject({ total: 0, size: 0 });
  });

  it('keeps counts past 2^32 exact (64-bit floats then)', () => {
    const big = () => ({ total: 5e9, index: Uint16Array.of(100, 200), count: Float64Array.of(4e9, 1e9), size: 2, pending: null });
    const merger = createBucketMerger();
    merger.add(big());
    merger.add(big());
    const sum = merger.take();
    expect([...sum.count]).toEqual([8e9, 2e9]);
    expect(sum.count).toBeInstanceOf(Float64Array);
    const c = big();
    c.pending = new Map([[100, 1]]) as never;
    sealCounts(c);
    expect([...c.count]).toEqual([4e9 + 1, 1e9]);
  });
});
