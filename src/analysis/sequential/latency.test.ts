import { describe, expect, it } from 'vitest';
import { createSeededStreams, falseAlarmBound } from '../../../test/support/seeded-streams.js';
import { createSequentialLatencyTest } from './latency.js';

// The seeded streams' bucket keys are round(100 · ln ms).
const bucketValue = (key: number) => Math.exp(key / 100);

/** Requests per version at which each run crossed into regression (Infinity: never within `seconds`). */
function crossings(runs: number, seed: number, perSecond: number, seconds: number, canaryMedian: number, sigma: number, horizon?: number): number[] {
  const streams = createSeededStreams(seed);
  const at: number[] = [];
  for (let r = 0; r < runs; r++) {
    const test = createSequentialLatencyTest({ seed: r + 1, ...(horizon ? { horizon } : {}) });
    let crossed = Infinity;
    for (let t = 0; t < seconds && crossed === Infinity; t++) {
      const res = test.update({ canary: streams.latencyBuckets(perSecond, canaryMedian, sigma), stable: streams.latencyBuckets(perSecond, 10, sigma) });
      if (res.decision === 'regression') crossed = res.crossedAtSamples!.canary;
    }
    at.push(crossed);
  }
  return at.sort((a, b) => a - b);
}

describe('sequential latency test', () => {
  it('A/A: 500 seeded runs, 40 requests per version a second for 60 s, median drifting 5…15 ms, checked every second: false alarms ≤ α + 5σ', () => {
    const alpha = 0.01;
    const runs = 500;
    const streams = createSeededStreams(11);
    let alarms = 0;
    for (let r = 0; r < runs; r++) {
      const test = createSequentialLatencyTest({ alpha, seed: r });
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

  it('A/A with a 10% canary (groups of one canary and nine stable requests) and at the margin (a canary exactly 5% slower, regressionMargin 5%): ≤ α + 5σ', () => {
    const alpha = 0.01;
    const runs = 400;
    const streams = createSeededStreams(12);
    let split = 0;
    let margin = 0;
    for (let r = 0; r < runs; r++) {
      const a = createSequentialLatencyTest({ alpha, seed: r });
      const b = createSequentialLatencyTest({ alpha, seed: r, regressionMargin: 0.05, bucketValue });
      let alarmA = false;
      let alarmB = false;
      for (let t = 0; t < 60; t++) {
        alarmA ||= a.update({ canary: streams.latencyBuckets(10, 10, 0.8), stable: streams.latencyBuckets(90, 10, 0.8) }).eValue >= 1 / alpha;
        alarmB ||= b.update({ canary: streams.latencyBuckets(50, 10.5, 0.8), stable: streams.latencyBuckets(50, 10, 0.8) }).eValue >= 1 / alpha;
      }
      if (alarmA) split++;
      if (alarmB) margin++;
    }
    expect(split / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
    expect(margin / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
  });

  // Measured (100 seeded runs): median 300 requests per version, p90 400, all by 550.
  it('power: a 25% slower canary (log-normal, σ = 0.5, 50 requests a second) is caught in every seeded run, median ≤ 350 per version', () => {
    const at = crossings(100, 13, 50, 60, 12.5, 0.5);
    expect(at.filter((n) => n < Infinity)).toHaveLength(100);
    expect(at[50]).toBeLessThanOrEqual(350);
  });

  // The heavy-tailed case of issue 22 (σ ≈ 0.94 like bench/stats' tail profile). Measured (60 seeded runs):
  // 59 caught by 3,600 per version, median 1,900; the cut-point tables this test replaced caught 40–57%.
  it('power on a heavy tail: a 10% slower canary (σ = 0.94, 100 requests a second) is caught by 3,600 per version in ≥ 80% of 60 seeded runs', () => {
    const at = crossings(60, 14, 100, 36, 11, 0.94);
    expect(at.filter((n) => n <= 3600).length).toBeGreaterThanOrEqual(48);
  });

  it('a faster canary is never a regression and is soon non-inferior; an identical one is non-inferior within a 10% margin', () => {
    const streams = createSeededStreams(15);
    const faster = createSequentialLatencyTest({ bucketValue });
    for (let t = 0; t < 60; t++) faster.update({ canary: streams.latencyBuckets(50, 8, 0.5), stable: streams.latencyBuckets(50, 10, 0.5) });
    expect(faster.result().decision).toBe('non-inferior');
    expect(faster.result().eValue).toBeLessThan(1);
    const same = createSequentialLatencyTest({ bucketValue, nonInferiorityMargin: 0.1 });
    for (let t = 0; t < 120 && same.result().decision === 'continue'; t++) {
      same.update({ canary: streams.latencyBuckets(100, 10, 0.5), stable: streams.latencyBuckets(100, 10, 0.5) });
    }
    expect(same.result().decision).toBe('non-inferior');
    expect(same.result().nonInferiorityEValue).toBeGreaterThanOrEqual(same.result().threshold);
    expect(same.result().crossedAtSamples!.canary).toBeLessThan(12_000);
  });

  it("takes the recorder's sealed cells as they are (typed arrays, only the first `size` entries in use), and refuses unsorted keys", () => {
    const test = createSequentialLatencyTest();
    const cell = (index: number[], count: number[]) => ({ index: Uint16Array.from([...index, 0]), count: Uint32Array.from([...count, 99]), size: index.length });
    test.update({ canary: cell([10, 20], [5, 5]), stable: cell([10, 20], [5, 5]) });
    const res = test.update({ canary: cell([10, 20, 30], [1, 1, 8]), stable: cell([10, 20], [5, 5]) });
    expect(res.samples).toEqual({ canary: 20, stable: 20 });
    expect(res.eValue).toBeGreaterThan(1);
    expect(() => test.update({ canary: { index: [3, 2], count: [1, 1] }, stable: cell([1], [1]) })).toThrow(/ascending/);
  });

  it('with confidenceSequence: the latency ratio − 1 covers the truth at every second at once (200 runs, 30 looks each: misses ≤ α + 5σ) and excludes 0 for a 25% slower canary', () => {
    const alpha = 0.01;
    const runs = 200;
    const streams = createSeededStreams(16);
    let missed = 0;
    for (let r = 0; r < runs; r++) {
      const test = createSequentialLatencyTest({ alpha, confidenceSequence: true, bucketValue, seed: r });
      let miss = false;
      for (let t = 0; t < 30; t++) {
        const { interval } = test.update({ canary: streams.latencyBuckets(30, 12.5, 0.5), stable: streams.latencyBuckets(30, 10, 0.5) });
        miss ||= !(interval!.lower <= 0.25 && interval!.upper >= 0.25);
      }
      if (miss) missed++;
    }
    expect(missed / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
    const slower = createSequentialLatencyTest({ confidenceSequence: true, bucketValue });
    for (let t = 0; t < 30; t++) slower.update({ canary: streams.latencyBuckets(100, 12.5, 0.5), stable: streams.latencyBuckets(100, 10, 0.5) });
    expect(slower.result().interval!.lower).toBeGreaterThan(0);
    expect(slower.result().interval!.upper).toBeLessThan(0.6);
    expect(createSequentialLatencyTest().result().interval).toBeUndefined();
  });

  it('a second with no requests of one version is no evidence either way', () => {
    const test = createSequentialLatencyTest();
    const res = test.update({ canary: { index: [50], count: [60] }, stable: { index: [], count: [] } });
    expect(res.eValue).toBe(1);
    expect(res.decision).toBe('continue');
    expect(res.samples).toEqual({ canary: 60, stable: 0 });
  });
});
