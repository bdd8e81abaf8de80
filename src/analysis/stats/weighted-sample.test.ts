import { describe, expect, it } from 'vitest';
import { hodgesLehmann, hodgesLehmannWeighted } from './hodges-lehmann.js';
import { weightedFromCounts, weightedFromValues, weightedMedian } from './weighted-sample.js';

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

  it('refuses a negative count', () => {
    expect(() => weightedFromCounts([[1, -1]])).toThrow(RangeError);
  });
});
