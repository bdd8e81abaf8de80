import { describe, expect, it } from 'vitest';
import { createSeededStreams, falseAlarmBound } from '../../../test/support/seeded-streams.js';
import { createSequentialErrorRateTest } from './error-rate.js';

describe('sequential error-rate test', () => {
  it('A/A: over 2,000 seeded runs monitored every 100 requests per version up to 10,000, false alarms ≤ α + 5σ', () => {
    const alpha = 0.01;
    const runs = 2000;
    const streams = createSeededStreams(1);
    let alarms = 0;
    let uncovered = 0;
    for (let r = 0; r < runs; r++) {
      const test = createSequentialErrorRateTest({ alpha });
      let alarmed = false;
      let missed = false;
      for (let t = 0; t < 100; t++) {
        const res = test.update({ canary: { requests: 100, errors: streams.binomial(100, 0.01) }, stable: { requests: 100, errors: streams.binomial(100, 0.01) } });
        // Judged on the e-value itself, not the sticky decision: a non-inferiority stop must not hide a later crossing.
        alarmed ||= res.eValue >= res.threshold;
        missed ||= res.interval!.lower > 0 || res.interval!.upper < 0;
      }
      if (alarmed) alarms++;
      if (missed) uncovered++;
    }
    expect(alarms / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
    expect(uncovered / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
  });

  it('A/A with a 10% canary and a stable error rate drifting 0.2%…5% second by second: still ≤ α + 5σ (the nuisance drops out)', () => {
    const alpha = 0.01;
    const runs = 500;
    const streams = createSeededStreams(2);
    let alarms = 0;
    for (let r = 0; r < runs; r++) {
      const test = createSequentialErrorRateTest({ alpha });
      for (let t = 0; t < 120; t++) {
        const p = 0.002 + 0.048 * (0.5 + 0.5 * Math.sin(t / 10));
        const res = test.update({ canary: { requests: 10, errors: streams.binomial(10, p) }, stable: { requests: 90, errors: streams.binomial(90, p) } });
        if (res.eValue >= res.threshold) {
          alarms++;
          break;
        }
      }
    }
    expect(alarms / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
  });

  // Measured (400 seeded runs, 10 requests per version a second): at α = 0.01 the median rollback is at
  // 250 requests per version (p95 500), 34% within 200; at α = 0.05, median 170, 64% within 200. Typical
  // data at 200 (10 failures against 1) give a likelihood ratio of about 70 even at the true odds ratio,
  // so no test reaches 1/α = 100 there: "within 200" needs α ≈ 0.05 or a healthier stable.
  it('power: 5% canary errors against 0.5%, 10 requests per version a second — every run caught, median ≤ 300 per version at α = 0.01', () => {
    const at = rollbacks(0.01, 200, 3);
    expect(at.filter((n) => n < Infinity).length).toBe(200);
    expect(at[100]).toBeLessThanOrEqual(300);
  });

  it('power: the same at α = 0.05 — most seeded runs caught within 200 requests per version', () => {
    const at = rollbacks(0.05, 200, 5);
    expect(at.filter((n) => n <= 200).length).toBeGreaterThan(0.5 * 200);
  });

  it('cumulative counts give exactly what incremental counts give', () => {
    const inc = createSequentialErrorRateTest();
    const cum = createSequentialErrorRateTest({ counts: 'cumulative' });
    const sum = { canary: { requests: 0, errors: 0 }, stable: { requests: 0, errors: 0 } };
    for (const [cn, ce, sn, se] of [[50, 3, 48, 0], [52, 4, 50, 1], [49, 5, 51, 0]] as const) {
      sum.canary = { requests: sum.canary.requests + cn, errors: sum.canary.errors + ce };
      sum.stable = { requests: sum.stable.requests + sn, errors: sum.stable.errors + se };
      expect(cum.update({ canary: { ...sum.canary }, stable: { ...sum.stable } })).toEqual(
        inc.update({ canary: { requests: cn, errors: ce }, stable: { requests: sn, errors: se } }),
      );
    }
    expect(() => cum.update({ canary: { requests: 1, errors: 0 }, stable: { requests: 1, errors: 0 } })).toThrow(/went down/);
  });

  it('two error-free versions become non-inferior (margin 1 point) and say when; a later regression still outranks it', () => {
    const test = createSequentialErrorRateTest({ nonInferiorityMargin: 0.01 });
    let res = test.result();
    for (let t = 0; t < 100 && res.decision === 'continue'; t++) res = test.update({ canary: { requests: 100, errors: 0 }, stable: { requests: 100, errors: 0 } });
    expect(res.decision).toBe('non-inferior');
    expect(res.interval!.upper).toBeLessThan(0.01);
    expect(res.crossedAtSamples!.canary).toBeGreaterThan(500);
    expect(res.crossedAtSamples!.canary).toBeLessThan(3000);
    const quiet = test.update({ canary: { requests: 100, errors: 0 }, stable: { requests: 100, errors: 0 } });
    expect(quiet.crossedAtUpdate).toBe(res.crossedAtUpdate);
    // Without promoteEarly the step goes on; the canary then breaks.
    for (let t = 0; t < 20; t++) res = test.update({ canary: { requests: 100, errors: 30 }, stable: { requests: 100, errors: 0 } });
    expect(res.decision).toBe('regression');
    expect(res.nonInferiorAtUpdate).toBe(quiet.crossedAtUpdate);
    expect(res.crossedAtUpdate).toBeGreaterThan(quiet.updates);
  });

  it('allowedIncrease: 2% against 1% is a regression at margin 0 but not at an allowed +3 points', () => {
    const strict = createSequentialErrorRateTest();
    const lenient = createSequentialErrorRateTest({ allowedIncrease: 0.03, nonInferiorityMargin: 0.03 });
    const streams = createSeededStreams(4);
    for (let t = 0; t < 300; t++) {
      const counts = { canary: { requests: 100, errors: streams.binomial(100, 0.02) }, stable: { requests: 100, errors: streams.binomial(100, 0.01) } };
      strict.update(counts);
      lenient.update(counts);
    }
    expect(strict.result().decision).toBe('regression');
    expect(lenient.result().decision).toBe('non-inferior');
  });
});

/** Canary requests seen when each of `runs` seeded 5%-against-0.5% runs was rolled back (Infinity: not within 2,000), ascending. */
function rollbacks(alpha: number, runs: number, seed: number): number[] {
  const streams = createSeededStreams(seed);
  const at: number[] = [];
  for (let r = 0; r < runs; r++) {
    const test = createSequentialErrorRateTest({ alpha });
    let res = test.result();
    for (let t = 0; t < 200 && res.decision === 'continue'; t++) {
      res = test.update({ canary: { requests: 10, errors: streams.binomial(10, 0.05) }, stable: { requests: 10, errors: streams.binomial(10, 0.005) } });
    }
    at.push(res.decision === 'regression' ? res.crossedAtSamples!.canary : Infinity);
  }
  return at.sort((a, b) => a - b);
}
