import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../seeded-random.js';
import { createBettingProcess, dealSecond } from './rank-score-e-process.js';

const buckets = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = [...new Set(sorted)];
  return { index, count: index.map((v) => sorted.filter((x) => x === v).length) };
};

/** Every way to choose `k` of `xs` as the canary (the rest stable). */
function splits(xs: number[], k: number): [number[], number[]][] {
  const out: [number[], number[]][] = [];
  const rec = (i: number, pick: number[], rest: number[]) => {
    if (i === xs.length) {
      if (pick.length === k) out.push([pick, rest]);
      return;
    }
    rec(i + 1, [...pick, xs[i]!], rest);
    rec(i + 1, pick, [...rest, xs[i]!]);
  };
  rec(0, [], []);
  return out;
}

describe('rank-score bets', () => {
  it('the null law is exact: over every split of a pool into canary and stable, ΣT averages 0 (with ties, 2 of 6 and 3 of 6)', () => {
    const pool = [1, 2, 2, 5, 9, 9];
    for (const k of [2, 3]) {
      const all = splits(pool, k);
      let total = 0;
      for (const [c, s] of all) total += dealSecond(buckets(c), buckets(s), { random: createSeededRandom(7) }).t.reduce((a, b) => a + b, 0);
      expect(total / all.length).toBeCloseTo(0, 12);
    }
  });

  it('deals one group per request of the smaller version, T in [−2·max|g|, 2·max|g|], positive when the canary holds the slowest requests', () => {
    const dealt = dealSecond(buckets([7, 8]), buckets([1, 2, 3, 4, 5]), { random: createSeededRandom(1) });
    expect(dealt.t).toHaveLength(2);
    for (const t of dealt.t) {
      expect(t).toBeGreaterThan(0);
      expect(Math.abs(t)).toBeLessThanOrEqual(2 * dealt.maxAbs);
    }
    const reversed = dealSecond(buckets([1, 2, 3, 4, 5]), buckets([7, 8]), { random: createSeededRandom(1) });
    expect(reversed.t).toHaveLength(2);
    for (const t of reversed.t) expect(t).toBeLessThan(0);
  });

  it('scale divides the canary before ranking: a canary twice as slow, at scale 2, ranks in ties with the stable (ΣT = 0; without it, ΣT > 0)', () => {
    const dealt = dealSecond(buckets([20, 40, 60]), buckets([10, 20, 30]), { random: createSeededRandom(3), scale: 2 });
    expect(dealt.t.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    const unscaled = dealSecond(buckets([20, 40, 60]), buckets([10, 20, 30]), { random: createSeededRandom(3) });
    expect(unscaled.t.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.5);
  });

  it('maxPerSecond ranks a random sample of each version: one group per sampled request of the smaller version', () => {
    const many = Array.from({ length: 50 }, (_, i) => i + 1);
    const dealt = dealSecond(buckets(many.map((x) => x + 100)), buckets(many), { random: createSeededRandom(2), maxPerSecond: 10 });
    expect(dealt.t).toHaveLength(10);
    for (const t of dealt.t) expect(t).toBeGreaterThan(0);
  });

  it('bets grow wealth on a slower canary, lose it on a faster one, and are no evidence on an empty second', () => {
    const up = createBettingProcess({ horizon: 100 });
    const down = createBettingProcess({ horizon: 100 });
    const random = createSeededRandom(5);
    for (let i = 0; i < 20; i++) {
      up.update(dealSecond(buckets([6, 7, 8]), buckets([1, 2, 3]), { random }));
      down.update(dealSecond(buckets([1, 2, 3]), buckets([6, 7, 8]), { random }));
    }
    expect(up.eValue()).toBeGreaterThan(100);
    expect(down.eValue()).toBeLessThan(1);
    expect(up.update({ t: new Float64Array(0), maxAbs: 0 })).toBe(up.eValue());
    expect(() => createBettingProcess({ horizon: 0 })).toThrow(RangeError);
  });
});
