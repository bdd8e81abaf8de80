import { describe, expect, it } from 'vitest';
import { mannWhitneyU, mannWhitneyWeighted } from './mann-whitney.js';
import { weightedFromCounts } from './weighted-sample.js';

// Hollander & Wolfe (1973), p. 110: the example of R's ?wilcox.test, where R reports W = 35.
// With the normal approximation and no continuity correction (R: exact = FALSE, correct = FALSE):
// mean n1·n2/2 = 25, variance n1·n2·(n+1)/12 = 66.67, z = 10 / 8.165 = 1.2247, P(Z > z) = 0.1103.
const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const y = [1.15, 0.88, 0.9, 0.74, 1.21];

describe('Mann-Whitney U', () => {
  it('reproduces W = 35 and the normal-approximation p-values of the Hollander & Wolfe example', () => {
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(35);
    expect(r.z).toBeCloseTo(10 / Math.sqrt(200 / 3), 12);
    expect(r.pGreater).toBeCloseTo(0.1103, 4);
    expect(r.pTwoSided).toBeCloseTo(0.2207, 4);
  });

  it('gives mid-ranks to ties and corrects the variance for them', () => {
    // x = [3, 1, 3], y = [2, 3]: mid-ranks 1 → 1, 2 → 2, the three 3s → 4; R1 = 4 + 1 + 4 = 9,
    // U = 9 − 6 = 3; tie term 3³ − 3 = 24 → variance (6/12)·(6 − 24/20) = 2.4.
    const r = mannWhitneyU([3, 1, 3], [2, 3]);
    expect(r.u).toBe(3);
    expect(r.z).toBeCloseTo(0, 12);
    const r2 = mannWhitneyU([3, 3, 3], [1, 2]);
    expect(r2.u).toBe(6);
    expect(r2.z).toBeCloseTo(3 / Math.sqrt(0.5 * (6 - 24 / 20)), 12);
    // All values tied: no evidence either way.
    expect(mannWhitneyU([5, 5], [5, 5, 5])).toEqual({ u: 3, z: 0, pTwoSided: 1, pGreater: 0.5 });
  });

  it('is symmetric: swapping the samples mirrors U and z', () => {
    const a = mannWhitneyU(x, y);
    const b = mannWhitneyU(y, x);
    expect(a.u + b.u).toBe(x.length * y.length);
    expect(b.z).toBeCloseTo(-a.z, 12);
    expect(b.pTwoSided).toBeCloseTo(a.pTwoSided, 12);
  });

  it('gives the same answer on (value, count) buckets as on the values they stand for', () => {
    const xw = weightedFromCounts([[1, 3], [2, 1], [5, 2]]);
    const yw = weightedFromCounts([[2, 2], [4, 4], [1, 1]]);
    expect(mannWhitneyWeighted(xw, yw)).toEqual(mannWhitneyU([1, 1, 1, 2, 5, 5], [2, 2, 4, 4, 4, 4, 1]));
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
  });
});
