import { describe, expect, it } from 'vitest';
import { checkCounts, formatSpan, formatTimestamp, intervalCell, outcomeLook, thresholdCell } from './present.js';
import type { CheckResult } from '../model/result.js';

describe('present', () => {
  it('formats timestamps in UTC, independent of the machine time zone', () => {
    expect(formatTimestamp(Date.UTC(2025, 4, 14, 9, 30, 1, 999))).toBe('2025-05-14 09:30:01 UTC');
  });

  it.each([
    [850, '850ms'],
    [12_340, '12.3s'],
    [20_000, '20s'],
    [125_000, '2m05s'],
    [3_720_000, '1h02m'],
    [-1, '—'],
  ])('formatSpan(%s) = %s', (ms, text) => expect(formatSpan(ms)).toBe(text));

  it('colours outcomes: promoted/passed good, rolled-back/error bad, interrupted warn', () => {
    expect(['promoted', 'passed', 'rolled-back', 'error', 'interrupted'].map((o) => outcomeLook(o as never).tone)).toEqual(['good', 'good', 'bad', 'bad', 'warn']);
  });

  it('shows thresholds with their comparator and unit', () => {
    const c = { kind: 'error-rate', threshold: 0.01, comparator: 'max' } as CheckResult;
    expect(thresholdCell(c)).toBe('≤ 1.00%');
    expect(thresholdCell({ ...c, kind: 'latency', threshold: 250 })).toBe('≤ 250ms');
  });

  it('shows a confidence interval in the unit of its check, and nothing without one', () => {
    const c = { kind: 'latency', interval: { low: -1.234, high: 8.4, confidence: 0.98 } } as CheckResult;
    expect(intervalCell(c)).toBe('[-1.23ms, 8.4ms] at 98%');
    expect(intervalCell({ ...c, kind: 'error-rate', interval: { low: 0.001, high: 0.02, confidence: 0.95 } })).toBe('[0.10%, 2.00%] at 95%');
    expect(intervalCell({ kind: 'latency' } as CheckResult)).toBe('');
  });

  it('counts verdicts', () => {
    const v = (verdict: CheckResult['verdict']) => ({ verdict }) as CheckResult;
    expect(checkCounts([v('pass'), v('fail'), v('no-data'), v('pass')])).toBe('1 failed, 1 no data, 2 passed');
    expect(checkCounts([])).toBe('no checks');
  });
});
