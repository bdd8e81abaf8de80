import { describe, expect, it } from 'vitest';
import type { FixedRateResult } from './fixed-rate.js';
import { pairedAdded, poolRounds, roundOrder } from './latency-rounds.js';

const run = (latencies: number[], versions: Record<string, number> = {}): FixedRateResult => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { scheduled: latencies.length, ok: latencies.length, bad: 0, p50Ms: sorted[Math.ceil(sorted.length / 2) - 1]!, p99Ms: sorted.at(-1)!, versions, latencies: sorted };
};

describe('latency rounds', () => {
  it('rotates the order each round so every target is first once', () => {
    const t = ['a', 'b', 'c'] as const;
    expect([0, 1, 2, 3].map((r) => roundOrder(t, r).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });

  it('pools latencies and counts over rounds', () => {
    const p = poolRounds([run([1, 2, 3], { v1: 3 }), run([4, 5, 6, 7], { v1: 2, v2: 2 })]);
    expect(p.scheduled).toBe(7);
    expect(p.versions).toEqual({ v1: 5, v2: 2 });
    expect(p.p50Ms).toBe(4);
    expect(p.p99Ms).toBe(7);
  });

  it('pairs rounds by index and reports median, min and max of the differences', () => {
    const direct = [run([1, 10]), run([1, 20]), run([1, 30])];
    const proxy = [run([1, 11]), run([1, 25]), run([1, 29])];
    expect(pairedAdded(proxy, direct, 'p99Ms')).toEqual({ median: 1, min: -1, max: 5, values: [1, 5, -1] });
    expect(pairedAdded([], direct, 'p99Ms')).toBeUndefined();
  });
});
