import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal.js';

// Reference values: R's pnorm/qnorm (double precision), e.g. qnorm(0.975) = 1.959963984540054.
describe('standard normal', () => {
  it('Φ matches pnorm', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 13);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 13);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 13);
  });

  it('Φ⁻¹ matches qnorm', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 10);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 10);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});
