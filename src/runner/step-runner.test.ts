import { describe, expect, it } from 'vitest';
import type { VersionStats } from '../model/result.js';
import { withSubsets } from './step-runner.js';

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
