import { describe, expect, it } from 'vitest';
import { TIMELINE_MAX_POINTS, timelinePointMs } from './timeline.js';

describe('timelinePointMs', () => {
  it('keeps one point per second up to 20 minutes, then widens so a series stays within the budget', () => {
    const minutes = (m: number) => m * 60_000;
    expect([0, 1000, minutes(5), minutes(20)].map(timelinePointMs)).toEqual([1000, 1000, 1000, 1000]);
    expect(timelinePointMs(minutes(20) + 1)).toBe(2000);
    expect(timelinePointMs(minutes(60))).toBe(3000);
    expect(timelinePointMs(minutes(6 * 60))).toBe(20_000);
    expect(timelinePointMs(minutes(24 * 60))).toBe(120_000);
    for (let m = 1; m <= 48 * 60; m += 7) {
      const width = timelinePointMs(minutes(m));
      expect(minutes(m) / width).toBeLessThanOrEqual(TIMELINE_MAX_POINTS);
      // Whole seconds that divide a minute or an hour: points line up with the clock.
      expect(width % 1000).toBe(0);
      expect(60_000 % width === 0 || 3_600_000 % width === 0).toBe(true);
    }
  });
});
