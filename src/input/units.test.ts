import { describe, expect, it } from 'vitest';
import { formatDuration, parseAge, parseDuration } from './units.js';

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

describe('parseAge (--since)', () => {
  it('takes days and weeks besides the duration units', () => {
    expect(parseAge('30d')).toBe(30 * 86_400_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('1w2d')).toBe(9 * 86_400_000);
    expect(parseAge('90m')).toBe(5_400_000);
    expect(parseAge('1.5d')).toBe(1.5 * 86_400_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '30', 'd', '-1d', '1y', '1 d', '1e3d', `${'9'.repeat(400)}d`]) expect(parseAge(bad), bad).toBeUndefined();
  });
});
