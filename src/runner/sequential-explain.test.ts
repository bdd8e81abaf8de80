import { describe, expect, it } from 'vitest';
import type { SequentialPoint } from '../model/result.js';
import { sequentialTraceSchema } from '../model/sequential-trace-schema.js';
import { sequentialCheck, sequentialMessage, sequentialTrace, thinPoints, type TestRecord } from './sequential-explain.js';

const point = (t: number, eValue = 1): SequentialPoint => ({ t, eValue, samples: { canary: t * 10, stable: t * 90 }, lower: -0.01, upper: 0.1 });

function record(over: Partial<TestRecord>): TestRecord {
  const points = Array.from({ length: 14 }, (_, i) => point(i + 1, i === 13 ? 132.4 : 2));
  return {
    name: 'canary-vs-stable-error-rate',
    kind: 'error-rate',
    alpha: 0.01,
    margin: 0.01,
    quantity: 'canary − stable error rate',
    points,
    result: { eValue: 132.4, threshold: 100, decision: 'regression', updates: 14, samples: { canary: 140, stable: 1260 }, crossedAtUpdate: 14, crossedAtSamples: { canary: 140, stable: 1260 } },
    ...over,
  };
}

describe('sequential explanations', () => {
  it('says when a regression crossed 1/α, on how many samples, with the confidence sequence', () => {
    const r = record({ points: [...record({}).points.slice(0, 13), { ...point(14, 132.4), lower: 0.021, upper: 0.098 }] });
    expect(sequentialMessage(r, true)).toBe('canary vs stable error rate: certain regression after 14 s (e-value 132 ≥ 100 = 1/α; 140 canary / 1,260 stable requests); CS for canary − stable error rate: [+2.10pp, +9.80pp]');
    expect(sequentialCheck(r, true)).toMatchObject({ name: 'canary-vs-stable-error-rate-sequential', verdict: 'fail', critical: true, value: 132.4, threshold: 100, samples: 1400 });
  });

  it('says no certain regression, with the highest e-value, and that the fixed check decides', () => {
    const points = [point(1, 3.5), point(2, 1.2)];
    const r = record({ points, result: { eValue: 1.2, threshold: 100, decision: 'continue', updates: 2, samples: { canary: 20, stable: 180 } } });
    expect(sequentialMessage(r, false)).toBe('canary vs stable error rate: no certain regression in 2 s (e-value 1.2 < 100 = 1/α, highest 3.5; 20 canary / 180 stable requests); CS for canary − stable error rate: [−1.00pp, +10.00pp]; the fixed check decides');
    expect(sequentialCheck(r, false)).toMatchObject({ verdict: 'pass', value: 1.2 });
    expect(sequentialCheck(r, false).critical).toBeUndefined();
  });

  it('thins a long trace evenly to about 1,200 looks, keeping the last and the crossing', () => {
    const points = Array.from({ length: 86_400 }, (_, i) => point(i + 1));
    const thin = thinPoints(points, 12_345);
    expect(thin.length).toBeLessThanOrEqual(1202);
    expect(thin.length).toBeGreaterThan(1100);
    expect(thin.map((p) => p.t)).toContain(12_346);
    expect(thin.at(-1)!.t).toBe(86_400);
    expect(thin.map((p) => p.t)).toEqual([...thin.map((p) => p.t)].sort((a, b) => a - b));
    expect(thinPoints(points.slice(0, 600), undefined)).toHaveLength(600);
  });

  it('gives a trace result.json\'s schema accepts, an overflowing e-value kept finite', () => {
    const r = record({ result: { ...record({}).result, eValue: Infinity } });
    const trace = sequentialTrace(r);
    expect(sequentialTraceSchema.parse(JSON.parse(JSON.stringify(trace)))).toEqual(trace);
    expect(trace).toMatchObject({ crossedAt: 14, crossedAtSamples: { canary: 140, stable: 1260 }, eValue: Number.MAX_VALUE, decision: 'regression', threshold: 100 });
  });
});
