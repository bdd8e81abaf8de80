import { describe, expect, it } from 'vitest';
import { createSeededStreams, falseAlarmBound } from '../../../test/support/seeded-streams.js';
import { newcombeDifference, wilsonInterval } from '../stats/proportions.js';
import { differenceConfidenceSequence, logRobbinsMixture, proportionConfidenceSequence } from './proportion-cs.js';

describe('Robbins beta-binomial confidence sequences', () => {
  it('at 0 failures has the closed form: M_n(p) = 1/((n+1)(1−p)^n), so upper = 1 − (α/(n+1))^(1/n)', () => {
    expect(logRobbinsMixture(0, 1000, 0.01)).toBeCloseTo(-Math.log(1001) - 1000 * Math.log(0.99), 9);
    const cs = proportionConfidenceSequence(0, 1000, 0.05);
    expect(cs.lower).toBe(0);
    expect(cs.upper).toBeCloseTo(1 - (0.05 / 1001) ** (1 / 1000), 8);
    expect(proportionConfidenceSequence(0, 0, 0.05)).toEqual({ lower: 0, upper: 1, confidence: 0.95 });
  });

  it('is wider than the fixed-sample interval at the same level (the price of looking at every n)', () => {
    const d = differenceConfidenceSequence(56, 70, 48, 80, 0.05);
    const fixed = newcombeDifference(56, 70, 48, 80, 0.95);
    expect(d.lower).toBeLessThan(fixed.lower);
    expect(d.upper).toBeGreaterThan(fixed.upper);
    expect(d.lower).toBeLessThan(0.2);
    expect(d.upper).toBeGreaterThan(0.2);
  });

  it('covers p at every look at once: 1,000 seeded runs of p = 0.02, looked at every 100 up to 10,000, miss ≤ α + 5σ — where the fixed Wilson interval, peeked alike, does not', () => {
    const alpha = 0.05;
    const runs = 1000;
    const streams = createSeededStreams(7);
    let missed = 0;
    let wilsonMissed = 0;
    for (let r = 0; r < runs; r++) {
      let x = 0;
      let [csOut, wilsonOut] = [false, false];
      for (let n = 100; n <= 10_000; n += 100) {
        x += streams.binomial(100, 0.02);
        const cs = proportionConfidenceSequence(x, n, alpha);
        const w = wilsonInterval(x, n, 1 - alpha);
        csOut ||= cs.lower > 0.02 || cs.upper < 0.02;
        wilsonOut ||= w.lower > 0.02 || w.upper < 0.02;
      }
      if (csOut) missed++;
      if (wilsonOut) wilsonMissed++;
    }
    expect(missed / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
    // The harness can fail: a fixed-sample interval looked at 100 times misses far more often than α.
    expect(wilsonMissed / runs).toBeGreaterThan(3 * alpha);
  });
});
