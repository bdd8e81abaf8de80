import { describe, expect, it } from 'vitest';
import { hodgesLehmann, kthDifferenceWeighted } from './hodges-lehmann.js';
import { weightedFromValues } from './weighted-sample.js';
import { rng } from '../../../test/unit/analysis/samples.js';

const sortedDiffs = (x: number[], y: number[]) => x.flatMap((a) => y.map((b) => a - b)).sort((p, q) => p - q);

describe('Hodges-Lehmann', () => {
  it('estimates 0.305 for the Hollander & Wolfe example (R: "difference in location 0.305")', () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const e = hodgesLehmann(x, y);
    expect(e.shift).toBeCloseTo(0.305, 12);
    expect(e.lower).toBeLessThan(e.shift);
    expect(e.upper).toBeGreaterThan(e.shift);
  });

  it('finds every k-th pairwise difference without listing them (against the brute force, ties included)', () => {
    const r = rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const x = Array.from({ length: 1 + Math.floor(r() * 30) }, () => Math.floor(r() * 20));
      const y = Array.from({ length: 1 + Math.floor(r() * 30) }, () => Math.floor(r() * 20) + r() * (trial % 2));
      const d = sortedDiffs(x, y);
      const xs = weightedFromValues(x);
      const ys = weightedFromValues(y);
      for (const k of [1, Math.ceil(d.length / 3), Math.ceil(d.length / 2), d.length]) {
        expect(kthDifferenceWeighted(xs, ys, k)).toBeCloseTo(d[k - 1]!, 9);
      }
    }
  });

  it('covers the true shift in about 98% of repeated experiments (n = 100 each, 300 trials, 5σ bound)', () => {
    const r = rng(21);
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const stable = Array.from({ length: 100 }, () => 10 + r() * 10);
      const canary = Array.from({ length: 100 }, () => 12 + r() * 10);
      const e = hodgesLehmann(canary, stable, 0.98);
      if (e.lower <= 2 && e.upper >= 2) covered++;
    }
    // Binomial(300, 0.98): σ = 0.0081, so 5σ below 98% is 93.9%.
    expect(covered / trials).toBeGreaterThan(0.98 - 5 * Math.sqrt((0.98 * 0.02) / trials));
  });

  it('takes the Moses bounds at the ranks the U distribution gives, and they narrow with more data', () => {
    const r = rng(9);
    const stable = Array.from({ length: 400 }, () => 10 + r() * 10);
    const canary = Array.from({ length: 400 }, () => 12 + r() * 10); // shifted by +2 ms
    const e = hodgesLehmann(canary, stable, 0.98);
    expect(e.lower).toBeGreaterThan(0); // a 2 ms shift of a 10 ms spread is detected at n = 400
    const small = hodgesLehmann(canary.slice(0, 40), stable.slice(0, 40), 0.98);
    expect(small.upper - small.lower).toBeGreaterThan(e.upper - e.lower);
    // Bounds are order statistics of the differences, at k = ⌊N/2 − z·σ_U⌋ (z(0.99) = 2.3263).
    const d = sortedDiffs(canary.slice(0, 40), stable.slice(0, 40));
    const k = Math.floor(800 - 2.326347874040841 * Math.sqrt((1600 * 81) / 12));
    expect(small.lower).toBeCloseTo(d[k - 1]!, 9);
    expect(small.upper).toBeCloseTo(d[1600 - k]!, 9);
  });
});
