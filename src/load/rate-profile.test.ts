import { describe, expect, it } from 'vitest';
import { arrivalCountOf, describeRate, loadRateOf, arrivalsBy, constantProfile, createArrivalTimes, meanRate, profileDurationMs, peakRateOf, rateAt } from './rate-profile.js';
import type { RateProfile } from './types.js';

/** 0 → 100/s over 10 s, hold 100/s for 5 s, down to 0 over 5 s. */
const ramp: RateProfile = {
  startRate: 0,
  stages: [
    { rate: 100, durationMs: 10_000 },
    { rate: 100, durationMs: 5_000 },
    { rate: 0, durationMs: 5_000 },
  ],
};

function times(profile: RateProfile, n: number): number[] {
  const cursor = createArrivalTimes(profile);
  return Array.from({ length: n }, () => cursor.next());
}

describe('rate profile', () => {
  it('gives the rate at a time: linear within a stage, the last rate held after the stages', () => {
    expect(rateAt(ramp, 0)).toBe(0);
    expect(rateAt(ramp, 2_500)).toBe(25);
    expect(rateAt(ramp, 12_000)).toBe(100);
    expect(rateAt(ramp, 17_500)).toBe(50);
    expect(rateAt(ramp, 60_000)).toBe(0);
    expect(rateAt({ startRate: 10, stages: [{ rate: 30, durationMs: 1_000 }] }, 5_000)).toBe(30);
    expect(profileDurationMs(ramp)).toBe(20_000);
  });

  it('integrates the rate: Λ per stage is the trapezoid of its ramp', () => {
    expect(arrivalsBy(ramp, 10_000)).toBe(500);
    expect(arrivalsBy(ramp, 15_000)).toBe(1_000);
    expect(arrivalsBy(ramp, 20_000)).toBe(1_250);
    expect(arrivalsBy(ramp, 5_000)).toBe(125); // 0 → 50 over 5 s
    expect(arrivalsBy(ramp, 99_000)).toBe(1_250);
    expect(arrivalCountOf(ramp, 20_000)).toBe(1_250);
    expect(arrivalCountOf(constantProfile(2000), 300)).toBe(600);
    expect(arrivalCountOf(constantProfile(3), 1_000)).toBe(3);
    expect(meanRate(ramp, 0, 10_000)).toBe(50);
  });

  it('places arrival k at Λ⁻¹(k): a constant rate gives exactly k / rate', () => {
    expect(times(constantProfile(4), 5)).toEqual([0, 250, 500, 750, 1000]);
  });

  it('inverts Λ on a ramp: Λ(T_k) = k for every arrival, in increasing order', () => {
    const all = times(ramp, 1_250);
    for (let k = 1; k < all.length; k++) {
      expect(all[k]!).toBeGreaterThan(all[k - 1]!);
      expect(arrivalsBy(ramp, all[k]!)).toBeCloseTo(k, 6);
    }
    // 0 → 100/s over 10 s: Λ(t) = 5 t², so arrival 20 is at 2 s.
    expect(all[20]).toBeCloseTo(2_000, 6);
    // The ramp down to 0 holds 250 arrivals and nothing after.
    expect(all[1_249]!).toBeLessThan(20_000);
    expect(createArrivalTimes(ramp).next()).toBe(0);
  });

  it('counts per stage match the integral: the arrivals before each stage end are exactly ceil(Λ)', () => {
    const all = times(ramp, 1_300);
    const inWindow = (end: number) => all.filter((t) => t < end).length;
    expect(inWindow(10_000)).toBe(500);
    expect(inWindow(15_000)).toBe(1_000);
    expect(inWindow(20_000)).toBe(1_250);
    expect(all.slice(1_250).every((t) => t === Infinity)).toBe(true);
  });

  it('sends nothing during a zero-rate stretch: the next arrival waits for its end', () => {
    const pause: RateProfile = { startRate: 10, stages: [{ rate: 10, durationMs: 1_000 }, { rate: 0, durationMs: 0 }, { rate: 0, durationMs: 2_000 }, { rate: 10, durationMs: 0 }] };
    const all = times(pause, 12);
    expect(all.slice(0, 10)).toEqual(all.slice(0, 10).map((_, k) => expect.closeTo(k * 100, 6) as unknown as number));
    expect(all[10]).toBeCloseTo(3_000, 6);
    expect(all[11]).toBeCloseTo(3_100, 6);
    expect(times(constantProfile(0), 1)).toEqual([Infinity]);
    expect(arrivalCountOf({ startRate: 0, stages: [{ rate: 0, durationMs: 5_000 }] }, 5_000)).toBe(0);
  });

  it('a decreasing ramp is inverted too', () => {
    const down: RateProfile = { startRate: 200, stages: [{ rate: 0, durationMs: 2_000 }] };
    const all = times(down, 201);
    expect(all[199]!).toBeLessThan(2_000);
    expect(all[200]).toBe(Infinity);
    for (let k = 1; k < 200; k++) expect(arrivalsBy(down, all[k]!)).toBeCloseTo(k, 6);
  });

  it('maps the spec\'s fields to a plan\'s rate and profile, and says them in words', () => {
    expect(loadRateOf({ rate: 50 })).toEqual({ rate: 50 });
    const staged = loadRateOf({ rate: 50, startRate: 10, stages: [{ rate: 100, duration: 10_000 }, { rate: 100, duration: 5_000 }] });
    expect(staged).toEqual({ rate: 10, profile: { startRate: 10, stages: [{ rate: 100, durationMs: 10_000 }, { rate: 100, durationMs: 5_000 }] } });
    expect(describeRate(staged)).toBe('stages 10 → 100 req/s over 10s, 100 req/s for 5s, then 100 req/s (restarting each step)');
    expect(describeRate({ rate: 50 })).toBe('50 req/s');
  });
});

describe('peakRateOf', () => {
  it('is the constant rate, or the highest of a profile\'s start and stages', () => {
    expect(peakRateOf({ rate: 80 })).toBe(80);
    expect(peakRateOf({ rate: 0, profile: { startRate: 5, stages: [{ rate: 20, durationMs: 1000 }, { rate: 10, durationMs: 1000 }] } })).toBe(20);
    expect(peakRateOf({ rate: 0, profile: { startRate: 50, stages: [{ rate: 0, durationMs: 1000 }] } })).toBe(50);
  });
});
