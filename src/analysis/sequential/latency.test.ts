import { describe, expect, it } from 'vitest';
import { createSeededStreams, falseAlarmBound } from '../../../test/support/seeded-streams.js';
import { createSequentialLatencyTest } from './latency.js';

describe('sequential latency test', () => {
  it('A/A: 500 seeded runs, 40 requests per version a second for 60 s, median drifting 5…15 ms, checked every second: false alarms ≤ α + 5σ', () => {
    const alpha = 0.01;
    const runs = 500;
    const streams = createSeededStreams(11);
    let alarms = 0;
    for (let r = 0; r < runs; r++) {
      const test = createSequentialLatencyTest({ alpha });
      for (let t = 0; t < 60; t++) {
        const median = 10 + 5 * Math.sin(t / 7);
        const res = test.update({ canary: streams.latencyBuckets(40, median, 0.8), stable: streams.latencyBuckets(40, median, 0.8) });
        if (res.eValue >= res.threshold) {
          alarms++;
          break;
        }
      }
    }
    expect(alarms / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
  });

  it('power: a 25% slower canary (log-normal, σ = 0.5) is caught in most seeded runs, and says when', () => {
    const runs = 100;
    const streams = createSeededStreams(12);
    const caughtAt: number[] = [];
    for (let r = 0; r < runs; r++) {
      const test = createSequentialLatencyTest();
      for (let t = 0; t < 100; t++) {
        const res = test.update({ canary: streams.latencyBuckets(50, 12.5, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) });
        if (res.decision === 'regression') {
          caughtAt.push(res.crossedAtSamples!.canary);
          break;
        }
      }
    }
    caughtAt.sort((a, b) => a - b);
    expect(caughtAt.length).toBeGreaterThanOrEqual(0.9 * runs);
    expect(caughtAt[Math.floor(caughtAt.length / 2)]).toBeLessThanOrEqual(LATENCY_MEDIAN_BOUND);
  });

  it('a faster canary is never a regression; an identical one becomes non-inferior (odds ×1.5 margin at p50, p90, p99), slowly', () => {
    const streams = createSeededStreams(13);
    const faster = createSequentialLatencyTest();
    for (let t = 0; t < 200; t++) faster.update({ canary: streams.latencyBuckets(50, 8, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) });
    expect(faster.result().decision).toBe('non-inferior');
    expect(faster.result().eValue).toBeLessThan(1);
    const same = createSequentialLatencyTest();
    for (let t = 0; t < 400 && same.result().decision === 'continue'; t++) {
      same.update({ canary: streams.latencyBuckets(100, 10, 0.5), stable: streams.latencyBuckets(100, 10, 0.5) });
    }
    expect(same.result().decision).toBe('non-inferior');
    expect(same.result().nonInferiorityEValue).toBeGreaterThanOrEqual(same.result().threshold);
    // The p99 cut is what takes long: tens of thousands of requests per version (measured: ~26,000 for this seed).
    expect(same.result().crossedAtSamples!.canary).toBeGreaterThan(5000);
  });

  it("takes the recorder's sealed cells as they are (typed arrays, only the first `size` entries in use)", () => {
    const test = createSequentialLatencyTest({ warmupSamples: 1 });
    const cell = (index: number[], count: number[]) => ({ index: Uint16Array.from([...index, 0]), count: Uint32Array.from([...count, 99]), size: index.length });
    test.update({ canary: cell([10, 20], [5, 5]), stable: cell([10, 20], [5, 5]) });
    const res = test.update({ canary: cell([10, 20, 30], [1, 1, 8]), stable: cell([10, 20], [5, 5]) });
    expect(res.samples).toEqual({ canary: 20, stable: 20 });
    expect(res.eValue).toBeGreaterThan(1);
    expect(() => test.update({ canary: { index: [3, 2], count: [1, 1] }, stable: cell([1], [1]) })).toThrow(/ascending/);
  });

  it('with confidenceSequence, reports the odds ratio of being slower than the stable median: above 1 for a slower canary, around 1 for A/A', () => {
    const streams = createSeededStreams(14);
    const slower = createSequentialLatencyTest({ confidenceSequence: true });
    const same = createSequentialLatencyTest({ confidenceSequence: true });
    for (let t = 0; t < 30; t++) {
      slower.update({ canary: streams.latencyBuckets(50, 12.5, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) });
      same.update({ canary: streams.latencyBuckets(50, 10, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) });
    }
    expect(slower.result().interval!.lower).toBeGreaterThan(1);
    expect(same.result().interval!.lower).toBeLessThan(1);
    expect(same.result().interval!.upper).toBeGreaterThan(1);
    expect(createSequentialLatencyTest().result().interval).toBeUndefined();
  });

  it('cutWeights: all weight on the first cut is the p50 test alone; bad weights are refused', () => {
    const streams = createSeededStreams(15);
    const weighted = createSequentialLatencyTest({ cutWeights: [1, 0, 0] });
    const alone = createSequentialLatencyTest({ quantiles: [0.5] });
    for (let t = 0; t < 20; t++) {
      const counts = { canary: streams.latencyBuckets(50, 11, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) };
      expect(weighted.update(counts).eValue).toBeCloseTo(alone.update(counts).eValue, 12);
    }
    expect(alone.result().eValue).toBeGreaterThan(1);
    expect(() => createSequentialLatencyTest({ cutWeights: [1, 1] })).toThrow(RangeError);
    expect(() => createSequentialLatencyTest({ cutWeights: [0, 0, 0] })).toThrow(RangeError);
  });

  it('judges nothing before the warm-up (the cut points need the stable seconds before)', () => {
    const test = createSequentialLatencyTest({ warmupSamples: 100 });
    const res = test.update({ canary: { index: [50], count: [60] }, stable: { index: [1], count: [60] } });
    expect(res.eValue).toBe(1);
    expect(res.decision).toBe('continue');
  });
});

// Measured for this seed: median 350 requests per version (100 runs; p90 500).
const LATENCY_MEDIAN_BOUND = 500;
