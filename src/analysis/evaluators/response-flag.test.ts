import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../evaluate.js';
import type { MetricMeasurement } from '../../metrics/measure.js';
import { slo, versionStats } from '../../../test/unit/analysis/builders.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };
const stats = [versionStats('v1', 300), versionStats('v2', 300), versionStats('all', 656)];
const judge = (spec: Record<string, unknown>, m?: MetricMeasurement) => {
  const s = slo({ kind: 'response-flag', flag: 'UO', ...spec });
  return evaluateChecks([s], stats, { ...options, ...(m ? { measurements: new Map([[s, m]]) } : {}) })[0]!;
};
const measured = (part: number, whole: number): MetricMeasurement => ({ value: whole > 0 ? part / whole : null, query: 'q', counts: { part, whole } });

describe('response-flag', () => {
  it('judges the share of flagged requests against max, with the counts in the message', () => {
    const c = judge({ max: '30%' }, measured(24, 656));
    expect(c).toMatchObject({ name: 'all-response-flag-UO', kind: 'response-flag', subject: 'all', verdict: 'pass', comparator: 'max', threshold: 0.3, samples: 656 });
    expect(c.value).toBeCloseTo(24 / 656, 12);
    expect(c.message).toBe('all UO share 3.66% <= 30.00% max (PASS, mesh-side: 24 of 656 requests flagged UO)');
    expect(judge({ max: '3%' }, measured(24, 656)).verdict).toBe('fail');
  });

  it('with min and max, reports the bound the value breaks', () => {
    const low = judge({ min: '1%', max: '30%' }, measured(1, 656));
    expect(low).toMatchObject({ verdict: 'fail', comparator: 'min', threshold: 0.01 });
    const high = judge({ min: '1%', max: '30%' }, measured(300, 656));
    expect(high).toMatchObject({ verdict: 'fail', comparator: 'max', threshold: 0.3 });
    expect(judge({ min: '1%', max: '30%' }, measured(100, 656)).verdict).toBe('pass');
  });

  it('has no data without a measurement, over no requests, or over fewer than minSamples', () => {
    expect(judge({ max: '30%' })).toMatchObject({ verdict: 'no-data', value: null });
    expect(judge({ max: '30%' }).message).toContain('not measured');
    const none = judge({ max: '30%' }, { value: null, query: 'q', counts: { part: 0, whole: 0 }, noDataReason: 'no requests to the target host in the step' });
    expect(none.message).toBe('all UO share: no data (no requests to the target host in the step)');
    expect(judge({ max: '30%' }, measured(0, 10))).toMatchObject({ verdict: 'no-data', samples: 10 });
  });

  it('refuses an unknown flag and a check without bounds at parse time', () => {
    expect(() => slo({ kind: 'response-flag', flag: 'XX', max: '1%' })).toThrow();
    expect(() => slo({ kind: 'response-flag', flag: 'UO' })).toThrow(/min, max or both/);
  });
});
