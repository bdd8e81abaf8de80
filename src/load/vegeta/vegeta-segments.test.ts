import { describe, expect, it } from 'vitest';
import { arrivalCountOf } from '../rate-profile.js';
import type { RateProfile } from '../types.js';
import { segmentPacing, vegetaSegments } from './vegeta-segments.js';

describe('vegeta segments of a ramp', () => {
  it('cuts the window into 1 s segments whose counts add up to ceil(Λ(D)) exactly', () => {
    const profile: RateProfile = { startRate: 10, stages: [{ rate: 95, durationMs: 2_500 }, { rate: 0, durationMs: 1_000 }] };
    const segments = vegetaSegments(profile, 4_200);
    expect(segments.map((s) => [s.startMs, s.durationMs])).toEqual([[0, 1000], [1000, 1000], [2000, 1000], [3000, 1000], [4000, 200]]);
    expect(segments.reduce((sum, s) => sum + s.count, 0)).toBe(arrivalCountOf(profile, 4_200));
    // Λ(1 s) = 27, Λ(2 s) = 88, Λ(3 s) = 166.875, Λ(3.5 s) = 178.75, then the zero rate holds.
    expect(segments.map((s) => s.count)).toEqual([27, 61, 79, 12, 0]);
  });

  it('paces a segment at count per its length, with half a period of slack in the duration', () => {
    expect(segmentPacing({ startMs: 0, durationMs: 1000, count: 50 })).toEqual(['-rate=50/1000000us', '-duration=1010000us']);
    expect(segmentPacing({ startMs: 0, durationMs: 200, count: 1 })).toEqual(['-rate=1/200000us', '-duration=300000us']);
  });
});
