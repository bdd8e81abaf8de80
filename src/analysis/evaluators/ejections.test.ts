import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../evaluate.js';
import type { MetricMeasurement } from '../../metrics/measure.js';
import { slo, versionStats } from '../../../test/unit/analysis/builders.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };
const stats = [versionStats('v1', 300), versionStats('v2', 400), versionStats('all', 700)];
const judge = (spec: Record<string, unknown>, m?: MetricMeasurement) => {
  const s = slo({ kind: 'ejections', ...spec });
  return evaluateChecks([s], stats, { ...options, ...(m ? { measurements: new Map([[s, m]]) } : {}) })[0]!;
};
const ejected = (n: number): MetricMeasurement => ({ value: n, query: 'q', counts: { part: n, whole: null } });

describe('ejections', () => {
  it('passes min 1 on one ejection and fails it on none; the client\'s count is the sample count', () => {
    const c = judge({ min: 1 }, ejected(1));
    expect(c).toMatchObject({ name: 'canary-ejections', subject: 'canary', verdict: 'pass', value: 1, samples: 400 });
    expect(c.message).toBe('canary outlier ejections 1 >= 1 min (PASS, mesh-side: 1 ejection enforced in the step)');
    expect(judge({ min: 1 }, ejected(0))).toMatchObject({ verdict: 'fail', value: 0 });
  });

  it('judges max, and both bounds', () => {
    expect(judge({ max: 0 }, ejected(2))).toMatchObject({ verdict: 'fail', comparator: 'max' });
    expect(judge({ min: 1, max: 1 }, ejected(1)).verdict).toBe('pass');
    expect(judge({ min: 1, max: 1 }, ejected(3))).toMatchObject({ verdict: 'fail', comparator: 'max' });
  });

  it('has no data when nothing measured it (never a pass)', () => {
    const c = judge({ max: 0 }, { value: null, query: 'q', noDataReason: 'the query returned no series' });
    expect(c).toMatchObject({ verdict: 'no-data', value: null });
    expect(c.message).toBe('canary outlier ejections: no data (the query returned no series)');
    expect(() => slo({ kind: 'ejections', min: 0.5 })).toThrow();
  });
});
