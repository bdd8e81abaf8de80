import { describe, expect, it } from 'vitest';
import type { VersionStats } from '../model/result.js';
import { createSampleRecorder } from '../load/recorder.js';
import { stepTimeline, withSubsets } from './step-runner.js';

const stat = (version: string, count: number): VersionStats => ({
  version,
  count,
  errors: 0,
  errorRate: count ? 0 : null,
  latency: { p50: 1, p90: 1, p95: 1, p99: 1, 'p99.9': 1, max: 1, mean: 1 },
  rps: count,
});

describe('withSubsets', () => {
  it('adds zero entries for subsets the step never saw, keeping named < unknown < all order', () => {
    const out = withSubsets([stat('v2', 5), stat('unknown', 1), stat('all', 6)], ['v1', 'v2']);
    expect(out.map((s) => [s.version, s.count])).toEqual([
      ['v1', 0],
      ['v2', 5],
      ['unknown', 1],
      ['all', 6],
    ]);
    expect(out[0]).toMatchObject({ errorRate: null, rps: 0, latency: { p99: null } });
  });

  it('returns the stats unchanged when every subset is present', () => {
    const stats = [stat('v1', 1), stat('v2', 1), stat('all', 2)];
    expect(withSubsets(stats, ['v1', 'v2'])).toBe(stats);
  });
});

describe('stepTimeline', () => {
  const T0 = 1_700_000_000_000;
  const minutes = (m: number) => m * 60_000;

  it('keeps one point per second for a run planned at 20 minutes and widens them beyond, whole windows merged', () => {
    const rec = createSampleRecorder();
    // 12 s of one request per 100 ms, 10 ms each, to v1.
    for (let t = 0; t < 12_000; t += 100) rec.record({ time: T0 + t, latencyMs: 10, status: 200, version: 'v1' });
    const short = stepTimeline(rec, minutes(20), T0 + 12_000);
    expect(short.timelineSeconds).toBeUndefined();
    expect(short.timeline.filter((p) => p.version === 'all')).toHaveLength(12);
    // An hour planned: 3 s points (epoch-aligned), each counting its three seconds.
    const long = stepTimeline(rec, minutes(60), T0 + 12_000);
    expect(long.timelineSeconds).toBe(3);
    const all = long.timeline.filter((p) => p.version === 'all');
    expect(all.map((p) => p.count).reduce((a, b) => a + b, 0)).toBe(120);
    expect(all.every((p) => p.time % 3000 === 0)).toBe(true);
    // Points starting at or after the step's end are left out.
    expect(stepTimeline(rec, minutes(60), T0 + 6_000).timeline.every((p) => p.time < T0 + 6_000)).toBe(true);
    rec.close();
  });
});
