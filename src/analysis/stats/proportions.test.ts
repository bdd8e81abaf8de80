import { describe, expect, it } from 'vitest';
import { newcombeDifference, wilsonInterval, zFor } from './proportions.js';

// Worked examples from R. G. Newcombe (1998), Stat. Med. 17, rounded there to 4 decimals.
describe('proportion intervals', () => {
  it('z for 95% is 1.959964', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 5);
  });

  it('Wilson: 81 of 263 → 0.2553–0.3662 (Newcombe 1998, single proportion, method 3)', () => {
    const i = wilsonInterval(81, 263);
    expect(i.lower).toBeCloseTo(0.2553, 4);
    expect(i.upper).toBeCloseTo(0.3662, 4);
  });

  it('Wilson at the edges: 0 of 10 → [0, 0.2775]; n = 0 → [0, 1]', () => {
    const i = wilsonInterval(0, 10);
    expect(i.lower).toBe(0);
    expect(i.upper).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).upper).toBe(1);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('Newcombe: 56/70 − 48/80 = 0.2000, interval 0.0524–0.3339 (Newcombe 1998, differences, method 10)', () => {
    const d = newcombeDifference(56, 70, 48, 80);
    expect(d.difference).toBeCloseTo(0.2, 10);
    expect(d.lower).toBeCloseTo(0.0524, 4);
    expect(d.upper).toBeCloseTo(0.3339, 4);
  });

  it('Newcombe with no errors on either side stays defined and contains 0', () => {
    const d = newcombeDifference(0, 500, 0, 500);
    expect(d.lower).toBeLessThan(0);
    expect(d.upper).toBeGreaterThan(0);
    expect(d.upper).toBeCloseTo(wilsonInterval(0, 500).upper, 12);
  });
});
