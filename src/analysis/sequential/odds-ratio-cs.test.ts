import { describe, expect, it } from 'vitest';
import { createSeededStreams, falseAlarmBound } from '../../../test/support/seeded-streams.js';
import { createOddsRatioConfidenceSequence } from './odds-ratio-cs.js';

describe('odds-ratio confidence sequence', () => {
  it('before any evidence spans the whole lattice; a table without freedom changes nothing', () => {
    const cs = createOddsRatioConfidenceSequence({ range: 2 });
    cs.update(0, 10, 0, 10);
    expect(cs.interval()).toEqual({ lower: Math.exp(-2), upper: Math.exp(2), confidence: 0.99 });
  });

  it('covers ψ = 1 at every look at once: 300 seeded A/A runs of 60 tables (25% events) looked at every third, miss ≤ α + 5σ', () => {
    const alpha = 0.05;
    const runs = 300;
    const streams = createSeededStreams(21);
    let missed = 0;
    for (let r = 0; r < runs; r++) {
      const cs = createOddsRatioConfidenceSequence({ alpha });
      for (let t = 0; t < 60; t++) {
        cs.update(streams.binomial(50, 0.25), 50, streams.binomial(50, 0.25), 50);
        if (t % 3 !== 2) continue; // looked at every third table, to keep the test quick
        const i = cs.interval();
        if (!(i.lower <= 1 && i.upper >= 1)) {
          missed++;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThanOrEqual(falseAlarmBound(alpha, runs));
  });

  it('closes in on a true odds ratio of 2.25 (p 0.6 against 0.4) and keeps it inside', () => {
    const streams = createSeededStreams(22);
    const cs = createOddsRatioConfidenceSequence();
    for (let t = 0; t < 100; t++) cs.update(streams.binomial(100, 0.6), 100, streams.binomial(100, 0.4), 100);
    const i = cs.interval();
    expect(i.lower).toBeLessThan(2.25);
    expect(i.upper).toBeGreaterThan(2.25);
    expect(i.lower).toBeGreaterThan(1.7);
    expect(i.upper).toBeLessThan(3);
  });
});
