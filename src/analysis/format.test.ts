import { describe, expect, it } from 'vitest';
import { formatEValue, formatMs, formatMsPrecise, formatPair, formatPercent, formatPercentPrecise, plural } from './format.js';
import { formatCheckValue, SEQUENTIAL_CHECK_KIND } from './registry.js';

describe('format', () => {
  it.each([
    [0.42, '0.42ms'],
    [4, '4ms'],
    [12.34, '12.3ms'],
    [412.4, '412ms'],
    [999.4, '999ms'],
    [2412, '2.41s'],
    [15_000, '15s'],
    [15_250, '15.3s'],
  ])('formatMs(%s) = %s', (ms, text) => expect(formatMs(ms)).toBe(text));

  it('formats fractions as percentages with two decimals', () => {
    expect(formatPercent(0.041)).toBe('4.10%');
    expect(formatPercent(0)).toBe('0.00%');
    expect(formatPercent(1)).toBe('100.00%');
    expect(formatPercentPrecise(0.010049)).toBe('1.0049%');
  });

  it('switches both sides to the precise form only when rounding hides a difference', () => {
    expect(formatPair(250.4, 250, formatMs, formatMsPrecise)).toEqual(['250.4ms', '250ms']);
    expect(formatPair(250, 250, formatMs, formatMsPrecise)).toEqual(['250ms', '250ms']);
    expect(formatPair(412, 250, formatMs, formatMsPrecise)).toEqual(['412ms', '250ms']);
    expect(formatPair(0.01004, 0.01, formatPercent, formatPercentPrecise)).toEqual(['1.004%', '1%']);
  });

  it('pluralises', () => {
    expect(plural(1, 'request')).toBe('1 request');
    expect(plural(0, 'request')).toBe('0 requests');
    expect(plural(2, 'step')).toBe('2 steps');
  });
});

describe('formatEValue', () => {
  it('reads as a plain number below 100, a whole number with separators above, and in powers of ten past a million', () => {
    expect([0.5, 2.345, 99.94, 132.4, 12_345.6, 3e9, Infinity].map(formatEValue)).toEqual(['0.5', '2.35', '99.9', '132', '12,346', '3.00e+9', 'Infinity']);
  });

  it('is how a sequential check\'s value and threshold are shown in reports', () => {
    expect([formatCheckValue(SEQUENTIAL_CHECK_KIND, 22_381.28), formatCheckValue(SEQUENTIAL_CHECK_KIND, 100)]).toEqual(['22,381', '100']);
  });
});
