import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../evaluate.js';
import type { MetricMeasurement } from '../../metrics/measure.js';
import { measurementOf } from '../../metrics/mesh-view.js';
import { slo, versionStats } from '../../../test/unit/analysis/builders.js';
import type { MeshViewSlo } from '../../metrics/mesh-view.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };
const stats = [versionStats('v1', 300), versionStats('v2', 400), versionStats('all', 700)];
const spec = (extra: Record<string, unknown>) => slo({ kind: 'retry-success-rate', ...extra }) as MeshViewSlo;
const judge = (s: MeshViewSlo, m?: MetricMeasurement) => evaluateChecks([s], stats, { ...options, ...(m ? { measurements: new Map([[s, m]]) } : {}) })[0]!;

describe('retry-success-rate', () => {
  it('is successes over retries, judged against min', () => {
    const s = spec({ min: '70%' });
    const c = judge(s, measurementOf(s, { part: 42, whole: 48 }, 'q'));
    expect(c).toMatchObject({ name: 'canary-retry-success-rate', verdict: 'pass', comparator: 'min', threshold: 0.7, samples: 48 });
    expect(c.value).toBeCloseTo(0.875, 12);
    expect(c.message).toBe('canary retry success rate 87.50% >= 70.00% min (PASS, mesh-side: 42 of 48 retries succeeded)');
    expect(judge(s, measurementOf(s, { part: 10, whole: 48 }, 'q')).verdict).toBe('fail');
  });

  it('has no data in a step without retries, never a pass', () => {
    const s = spec({ min: '90%' });
    const c = judge(s, measurementOf(s, { part: 0, whole: 0 }, 'q'));
    expect(c).toMatchObject({ verdict: 'no-data', value: null });
    expect(c.message).toBe("canary retry success rate: no data (no retries on the canary's cluster in the step)");
  });

  it('judges one retry (the minimum is one retry, not minSamples)', () => {
    const s = spec({ min: '90%' });
    expect(judge(s, measurementOf(s, { part: 1, whole: 1 }, 'q')).verdict).toBe('pass');
  });
});
