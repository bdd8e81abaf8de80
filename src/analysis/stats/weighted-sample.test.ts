import { describe, expect, it } from 'vitest';
import { hodgesLehmann, hodgesLehmannWeighted } from './hodges-lehmann.js';
import { quantileInterval, weightedFromCounts, weightedFromValues, weightedMedian } from './weighted-sample.js';
import { lognormal, rng } from '../../../test/unit/analysis/samples.js';
import { zFor } from './proportions.js';

describe('weighted samples', () => {
  it('merges equal values and keeps them ascending', () => {
    const s = weightedFromValues([3, 1, 3, 2, 3]);
    expect([...s.values]).toEqual([1, 2, 3]);
    expect([...s.counts]).toEqual([1, 1, 3]);
    expect(s.n).toBe(5);
    const c = weightedFromCounts([[2, 1], [1, 0], [2, 4], [0.5, 2]]);
    expect([...c.values]).toEqual([0.5, 2]);
    expect([...c.counts]).toEqual([2, 5]);
  });

  it('has the median of the values it stands for', () => {
    expect(weightedMedian(weightedFromValues([5, 1, 3]))).toBe(3);
    expect(weightedMedian(weightedFromValues([4, 1, 3, 2]))).toBe(2.5);
    expect(weightedMedian(weightedFromCounts([[1, 2], [10, 2]]))).toBe(5.5);
    expect(weightedMedian(weightedFromCounts([]))).toBeNaN();
  });

  it('gives Hodges-Lehmann the same shift and interval as the expanded values', () => {
    const x = [1, 1, 1, 2, 5, 5, 7, 7, 7, 7];
    const y = [2, 2, 4, 4, 4, 4, 1, 0, 0];
    expect(hodgesLehmannWeighted(weightedFromValues(x), weightedFromValues(y), 0.9)).toEqual(hodgesLehmann(x, y, 0.9));
  });

  it('gives the order-statistic interval of a quantile (ranks n·q ∓ z·√(n·q·(1−q)))', () => {
    const s = weightedFromValues(Array.from({ length: 1000 }, (_, i) => i + 1));
    // n·q = 500, z·√250 = 30.99: ranks ⌊469.0⌋ = 469 and ⌈531.0⌉ + 1 = 532.
    expect(quantileInterval(s, 0.5, zFor(0.95))).toEqual({ low: 469, high: 532 });
    expect(quantileInterval(weightedFromCounts([]), 0.5, 1.96)).toBeUndefined();
    // Few values: clamped to the sample.
    expect(quantileInterval(weightedFromValues([3, 1, 2]), 0.99, 1.96)).toEqual({ low: 2, high: 3 });
  });

  it('covers the true median of a log-normal in about 95% of samples (400 trials of 300, 5σ bound)', () => {
    const r = rng(17);
    let covered = 0;
    for (let t = 0; t < 400; t++) {
      const i = quantileInterval(weightedFromValues(lognormal(r, 300, 8)), 0.5, zFor(0.95))!;
      if (i.low <= 8 && 8 <= i.high) covered++;
    }
    // Expected ≥ 95% (order-statistic intervals are conservative); σ of the count ≈ 4.4.
    expect(covered).toBeGreaterThanOrEqual(400 * 0.95 - 5 * 4.4);
  });

  it('refuses a negative count', () => {
    expect(() => weightedFromCounts([[1, -1]])).toThrow(RangeError);
  });
});
