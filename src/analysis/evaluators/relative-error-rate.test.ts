import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../evaluate.js';
import { slo, versionStats } from '../../../test/unit/analysis/builders.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };
const judge = (spec: Record<string, unknown>, canary: [number, number], stable: [number, number]) =>
  evaluateChecks([slo({ kind: 'relative-error-rate', ...spec })], [versionStats('v1', stable[1], { errors: stable[0] }), versionStats('v2', canary[1], { errors: canary[0] })], options)[0]!;

describe('relative-error-rate', () => {
  it("gives Newcombe's interval for his worked example (56/70 − 48/80: 0.2000, 95% CI 0.0524 to 0.3339)", () => {
    const c = judge({ confidence: 0.95 }, [56, 70], [48, 80]);
    expect(c.value).toBeCloseTo(0.2, 12);
    expect(c.interval!.low).toBeCloseTo(0.0524, 4);
    expect(c.interval!.high).toBeCloseTo(0.3339, 4);
    expect(c).toMatchObject({ verdict: 'fail', samples: 150 });
    expect(c.message).toBe(
      'canary vs stable error rate +20.00pp (80.00% against 60.00%; 95% CI +5.24pp…+33.39pp): significantly worse, beyond the allowed +0.00pp (FAIL, 56 of 70 canary requests and 48 of 80 stable requests failed)',
    );
  });

  it('passes equal error rates, and a significant increase within the allowed points', () => {
    expect(judge({}, [1, 1000], [1, 1000]).verdict).toBe('pass');
    const within = judge({ allowedIncrease: '10%' }, [60, 1000], [10, 1000]);
    expect(within.verdict).toBe('pass');
    expect(within.message).toContain('significantly worse, but within the allowed +10.00pp (PASS');
  });

  it('does not fail an increase it cannot tell from noise (0 → 1 error in 50)', () => {
    const c = judge({}, [1, 50], [0, 50]);
    expect(c.verdict).toBe('pass');
    expect(c.interval!.low).toBeLessThan(0);
    expect(c.message).toContain('not significant at 98%, so possibly noise (PASS');
  });

  it('is critical beyond criticalIncrease at the interval low end', () => {
    const c = judge({ criticalIncrease: '10%' }, [300, 1000], [10, 1000]);
    expect(c).toMatchObject({ verdict: 'fail', critical: true });
  });

  it('has no data when a version has fewer than minSamples', () => {
    const c = judge({}, [0, 5], [0, 100]);
    expect(c).toMatchObject({ verdict: 'no-data', value: null });
    expect(c.message).toBe('canary vs stable error rate: no data (5 requests served by v2, 20 needed of each)');
  });
});
