import { describe, expect, it } from 'vitest';
import type { CheckResult, Verdict } from '../model/result.js';
import { decide, type DecideInput } from './decide.js';

function check(verdict: Verdict, name = `c-${verdict}`): CheckResult {
  return { name, kind: 'latency', subject: 'canary', value: verdict === 'no-data' ? null : 1, threshold: 1, comparator: 'max', samples: 100, verdict, message: name };
}

const base: DecideInput = { checks: [], failedSoFar: 0, threshold: 1, noDataFails: true, lastStep: false, promote: true };

describe('decide', () => {
  // [description, input overrides, expected decision, expected failedChecksTotal]
  const table: [string, Partial<DecideInput>, string, number][] = [
    ['all pass, middle step → continue', { checks: [check('pass'), check('pass')] }, 'continue', 0],
    ['one fail, threshold 1 → rollback', { checks: [check('pass'), check('fail')] }, 'rollback', 1],
    ['one fail, threshold 2 → continue', { checks: [check('fail')], threshold: 2 }, 'continue', 1],
    ['one fail after one earlier, threshold 2 → rollback', { checks: [check('fail')], failedSoFar: 1, threshold: 2 }, 'rollback', 2],
    ['two fails in one step, threshold 2 → rollback', { checks: [check('fail'), check('fail')], threshold: 2 }, 'rollback', 2],
    ['no-data with noDataFails → rollback', { checks: [check('no-data')] }, 'rollback', 1],
    ['no-data without noDataFails → continue', { checks: [check('no-data')], noDataFails: false }, 'continue', 0],
    ['no-data without noDataFails, last step → promote', { checks: [check('no-data')], noDataFails: false, lastStep: true }, 'promote', 0],
    ['all pass, last step, promote → promote', { checks: [check('pass')], lastStep: true }, 'promote', 0],
    ['all pass, last step, no promote → complete', { checks: [check('pass')], lastStep: true, promote: false }, 'complete', 0],
    ['fail on last step → rollback, not promote', { checks: [check('fail')], lastStep: true }, 'rollback', 1],
    ['fail below threshold on last step → promote', { checks: [check('fail')], lastStep: true, threshold: 2 }, 'promote', 1],
    ['fail below threshold on last step, no promote → complete', { checks: [check('fail')], lastStep: true, threshold: 3, failedSoFar: 1, promote: false }, 'complete', 2],
    ['earlier failures carried, none now → continue', { checks: [check('pass')], failedSoFar: 1, threshold: 2 }, 'continue', 1],
    ['no checks at all, last step → promote', { checks: [], lastStep: true }, 'promote', 0],
    ['a critical fail, threshold 3 → rollback at once', { checks: [{ ...check('fail'), critical: true }], threshold: 3 }, 'rollback', 1],
    ['a critical check that passed → continue', { checks: [{ ...check('pass'), critical: true }], threshold: 3 }, 'continue', 0],
  ];

  it.each(table)('%s', (_name, overrides, decision, total) => {
    expect(decide({ ...base, ...overrides })).toEqual({ decision, failedChecksTotal: total });
  });

  it('treats a threshold below 1 as 1 (a run without failures never rolls back)', () => {
    expect(decide({ ...base, threshold: 0, checks: [check('pass')] }).decision).toBe('continue');
  });
});
