import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../seeded-random.js';
import { createWeightedPicker, weightShares } from './weighted-pick.js';

function shares(weights: number[], n: number, seed = 1): number[] {
  const pick = createWeightedPicker(weights.map((weight, item) => ({ item, weight })));
  const random = createSeededRandom(seed);
  const counts = weights.map(() => 0);
  for (let i = 0; i < n; i++) {
    const k = pick(random);
    if (k !== undefined) counts[k]!++;
  }
  return counts.map((c) => c / n);
}

describe('createWeightedPicker', () => {
  it('share = weight / sum, and the sum need not be 100', () => {
    // n = 100 000: the binomial sd of a share is at most 0.0016; 5 sigma = 0.008.
    const got = shares([1, 3], 100_000);
    expect(Math.abs(got[0]! - 0.25)).toBeLessThan(0.008);
    expect(Math.abs(got[1]! - 0.75)).toBeLessThan(0.008);
    const odd = shares([10, 20, 30], 100_000, 7);
    [1 / 6, 2 / 6, 3 / 6].forEach((p, i) => expect(Math.abs(odd[i]! - p)).toBeLessThan(0.008));
  });

  it('a weight of 0 (or omitted) never receives traffic', () => {
    expect(shares([0, 100], 10_000)).toEqual([0, 1]);
    expect(shares([50, 0, 50], 10_000)[1]).toBe(0);
  });

  it('a single destination gets 100% whatever its weight', () => {
    expect(shares([0], 100)).toEqual([1]);
    expect(shares([20], 100)).toEqual([1]);
  });

  it('all-zero weights over several destinations pick nothing (→ 503 UH)', () => {
    const pick = createWeightedPicker([{ item: 'a', weight: 0 }, { item: 'b', weight: 0 }]);
    expect(pick(Math.random)).toBeUndefined();
    expect(createWeightedPicker([])(Math.random)).toBeUndefined();
  });

  it('is exact at the boundaries of the draw', () => {
    const pick = createWeightedPicker([{ item: 'a', weight: 1 }, { item: 'b', weight: 1 }]);
    expect(pick(() => 0)).toBe('a');
    expect(pick(() => 0.4999)).toBe('a');
    expect(pick(() => 0.5)).toBe('b');
    expect(pick(() => 0.999999)).toBe('b');
  });

  it('weightShares reports the shares Istio would apply', () => {
    expect(weightShares([50, 50])).toEqual([0.5, 0.5]);
    expect(weightShares([1, 3])).toEqual([0.25, 0.75]);
    expect(weightShares([0])).toEqual([1]);
    expect(weightShares([0, 0])).toEqual([0, 0]);
  });
});
