import { describe, expect, it } from 'vitest';
import { weightedFromValues } from '../analysis/stats/weighted-sample.js';
import { bucketEdge, compactLatency, expandLatency, mergeSamples, sampleQuantile } from './latency-buckets.js';

describe('latency buckets', () => {
  it('reports every value within 1% above itself, and 0 as 0', () => {
    for (const v of [0.013, 0.5, 1, 7.77, 19.4, 250, 1234.5, 3_600_000]) {
      const edge = bucketEdge(v);
      expect(edge).toBeGreaterThanOrEqual(v * 0.9999);
      expect(edge).toBeLessThanOrEqual(v * 1.0101);
    }
    expect(bucketEdge(0)).toBe(0);
  });

  it('keeps a few hundred pairs for 100,000 requests spread over three decades, and the counts', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => 1 + (i % 1000) * (i % 7) * 0.37);
    const buckets = compactLatency(weightedFromValues(values))!;
    expect(buckets.values.length).toBeLessThan(700);
    expect(buckets.counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(expandLatency(buckets).n).toBe(100_000);
    expect(compactLatency(weightedFromValues([]))).toBeUndefined();
  });

  it('merges samples and takes quantiles', () => {
    const s = mergeSamples([weightedFromValues([1, 2, 3]), weightedFromValues([3, 4])]);
    expect(Array.from(s.counts)).toEqual([1, 1, 2, 1]);
    expect(sampleQuantile(s, 0.5)).toBe(3);
    expect(sampleQuantile(s, 0.99)).toBe(4);
    expect(sampleQuantile(weightedFromValues([]), 0.5)).toBeNull();
  });

  it('refuses buckets whose arrays differ in length', () => {
    expect(() => expandLatency({ values: [1, 2], counts: [1] })).toThrow(RangeError);
  });
});
