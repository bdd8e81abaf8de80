import { describe, expect, it } from 'vitest';
import { outlierConfigOf, type OutlierProblem } from './outlier-config.js';

describe('outlierConfigOf', () => {
  it('absent → undefined; empty → Envoy defaults as Istio leaves them', () => {
    const p: OutlierProblem[] = [];
    expect(outlierConfigOf(undefined, p)).toBeUndefined();
    expect(outlierConfigOf({}, p)).toEqual({
      consecutive5xx: 5, consecutiveGateway: 0, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionMs: 300_000, maxEjectionPercent: 10, minHealthPercent: 0,
    });
    expect(p).toEqual([]);
  });

  it('reads every field; deprecated consecutiveErrors means gateway errors', () => {
    const p: OutlierProblem[] = [];
    expect(outlierConfigOf({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 3, interval: '1s', baseEjectionTime: '1m30s', maxEjectionPercent: 50, minHealthPercent: 20 }, p))
      .toMatchObject({ consecutive5xx: 0, consecutiveGateway: 3, intervalMs: 1000, baseEjectionMs: 90_000, maxEjectionPercent: 50, minHealthPercent: 20 });
    expect(outlierConfigOf({ consecutiveErrors: 7 }, p)).toMatchObject({ consecutiveGateway: 7, consecutive5xx: 5 });
    expect(p).toEqual([]);
  });

  it('reports unusable values and keeps the defaults', () => {
    const p: OutlierProblem[] = [];
    expect(outlierConfigOf({ interval: '0s', baseEjectionTime: 30, maxEjectionPercent: 101, consecutive5xxErrors: -1 }, p))
      .toMatchObject({ intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10, consecutive5xx: 5 });
    expect(p.map((x) => x.path)).toEqual(['consecutive5xxErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent']);
    expect(outlierConfigOf('x', p)).toBeUndefined();
  });
});
