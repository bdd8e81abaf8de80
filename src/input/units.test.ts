import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './units.js';

describe('formatDuration', () => {
  it('formats milliseconds, seconds and minutes compactly', () => {
    expect(formatDuration(12)).toBe('12ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('60m');
  });

  it('is total: Infinity, NaN and negative numbers give text instead of endless recursion', () => {
    expect(formatDuration(Infinity)).toBe('Infinityms');
    expect(formatDuration(Number.NaN)).toBe('NaNms');
    expect(formatDuration(-5)).toBe('-5ms');
  });

  it('round-trips what it formats', () => {
    for (const ms of [1, 999, 1000, 61_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
