import { describe, expect, it } from 'vitest';
import { evaluateChecks } from '../evaluate.js';
import { slo } from '../../../test/unit/analysis/builders.js';
import { lognormalSample, rng } from '../../../test/unit/analysis/samples.js';
import type { WeightedSample } from '../stats/weighted-sample.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };
const judge = (spec: Record<string, unknown>, canary: WeightedSample, stable: WeightedSample) =>
  evaluateChecks([slo({ kind: 'relative-latency', ...spec })], [], { ...options, distributions: new Map([['v1', stable], ['v2', canary]]) })[0]!;

describe('relative-latency', () => {
  it('passes an A/A comparison and says it is within the allowed increase, with the interval', () => {
    const r = rng(1);
    const c = judge({}, lognormalSample(r, 2000, 8), lognormalSample(r, 2000, 8));
    expect(c).toMatchObject({ name: 'canary-vs-stable-latency', kind: 'relative-latency', subject: 'canary vs stable', verdict: 'pass', threshold: 0.05, samples: 4000 });
    expect(c.interval!.low).toBeLessThan(c.value!);
    expect(c.interval!.high).toBeGreaterThan(c.value!);
    expect(c.interval!.confidence).toBe(0.98);
    expect(Math.abs(c.value!)).toBeLessThan(0.05);
    expect(c.message).toMatch(/^canary vs stable median latency [+−]\d+\.\d% \([+−][\d.]+ms on a stable median of [\d.]+ms; 98% CI [+−][\d.]+%…[+−][\d.]+%, p[=<][\d.]+\): /);
    expect(c.message).toContain('2000 canary requests, 2000 stable requests)');
  });

  it('fails a canary 20% slower, naming the shift in percent and ms', () => {
    const r = rng(2);
    const c = judge({}, lognormalSample(r, 2000, 9.6), lognormalSample(r, 2000, 8));
    expect(c.verdict).toBe('fail');
    expect(c.critical).toBeUndefined();
    expect(c.value!).toBeGreaterThan(0.15);
    expect(c.value!).toBeLessThan(0.25);
    expect(c.interval!.low).toBeGreaterThan(0.05);
    expect(c.message).toContain('significantly worse, beyond the allowed +5.0% (FAIL');
  });

  it('passes a significant slowdown that stays within the allowed increase, and says so', () => {
    const r = rng(3);
    const c = judge({ allowedIncrease: '30%' }, lognormalSample(r, 5000, 9.6), lognormalSample(r, 5000, 8));
    expect(c.verdict).toBe('pass');
    expect(c.message).toContain('significantly worse, but within the allowed +30.0% (PASS');
  });

  it('passes (as possible noise) a large but insignificant difference on few requests', () => {
    const r = rng(4);
    // 25 each with a wide spread: a 10% point difference is well inside the noise.
    let seen = false;
    for (let i = 0; i < 50 && !seen; i++) {
      const c = judge({}, lognormalSample(r, 25, 8, 1), lognormalSample(r, 25, 8, 1));
      if (c.value! > 0.05 && c.verdict === 'pass') {
        seen = true;
        expect(c.message).toContain('but not significant at 98%, so possibly noise (PASS');
      }
    }
    expect(seen).toBe(true);
  });

  it('is critical when even the interval low end exceeds criticalIncrease', () => {
    const r = rng(5);
    const c = judge({ criticalIncrease: '50%' }, lognormalSample(r, 2000, 16), lognormalSample(r, 2000, 8));
    expect(c).toMatchObject({ verdict: 'fail', critical: true });
    expect(c.message).toContain('worse beyond the critical +50.0% even at the interval\'s low end (FAIL, critical: rolls back at once');
  });

  it('has no data below minSamples of either version, or without distributions', () => {
    const r = rng(6);
    const c = judge({}, lognormalSample(r, 10, 8), lognormalSample(r, 500, 8));
    expect(c).toMatchObject({ verdict: 'no-data', value: null, samples: 510 });
    expect(c.message).toBe('canary vs stable median latency: no data (10 requests served by v2, 20 needed of each)');
    const none = evaluateChecks([slo({ kind: 'relative-latency' })], [], options)[0]!;
    expect(none.message).toBe('canary vs stable median latency: no data (0 requests served by v2 and 0 requests served by v1, 20 needed of each)');
  });

  it('refuses confidence outside (0.5, 1) and a subject', () => {
    expect(() => slo({ kind: 'relative-latency', confidence: 1 })).toThrow();
    expect(() => slo({ kind: 'relative-latency', subject: 'canary' })).toThrow();
  });
});
