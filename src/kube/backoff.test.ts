import { describe, expect, it } from 'vitest';
import { backoffMs, HALF_JITTER, TWENTY_PERCENT_JITTER } from './backoff.js';

describe('backoffMs', () => {
  it('doubles from the initial wait up to the cap', () => {
    const o = { initialMs: 100, maxMs: 500, jitter: { from: 1, span: 0 }, random: () => 0.3 };
    expect([0, 1, 2, 3, 4, 50, 5000].map((a) => backoffMs(a, o))).toEqual([100, 200, 400, 500, 500, 500, 500]);
  });

  it('spreads each wait over the jitter range', () => {
    const o = { initialMs: 1000, maxMs: 4000, random: () => 0 };
    expect(backoffMs(0, { ...o, jitter: HALF_JITTER })).toBe(500);
    expect(backoffMs(0, { ...o, jitter: HALF_JITTER, random: () => 1 })).toBe(1000);
    expect(backoffMs(0, { ...o, jitter: TWENTY_PERCENT_JITTER })).toBe(800);
    expect(backoffMs(3, { ...o, jitter: TWENTY_PERCENT_JITTER, random: () => 0.5 })).toBe(4000);
  });

  it('stays finite with a zero initial wait and many attempts', () => {
    expect(backoffMs(10_000, { initialMs: 0, maxMs: 10, jitter: HALF_JITTER, random: () => 0.5 })).toBe(0);
  });
});
