import { describe, expect, it } from 'vitest';
import type { CheckResult, StepResult, Verdict } from '../model/result.js';
import { aaFigures, aaSentence } from './aa-summary.js';

const check = (name: string, verdict: Verdict): CheckResult => ({ name, kind: 'latency', subject: 'canary', value: 1, threshold: 1, comparator: 'max', samples: 100, verdict, message: '' });
const step = (index: number, checks: CheckResult[]): StepResult => ({ index, canaryWeight: 0, label: '', startedAt: 0, endedAt: 1, stats: [], timeline: [], checks, failedChecksTotal: 0, decision: 'continue' });

describe('A/A figures', () => {
  it('counts failures as false alarms per check, leaving no-data out of the rate', () => {
    const steps = [
      step(0, [check('lat', 'pass'), check('err', 'fail')]),
      step(1, [check('lat', 'fail'), check('err', 'no-data')]),
      step(2, [check('lat', 'pass'), check('err', 'pass')]),
    ];
    const f = aaFigures(steps, 9);
    expect(f).toEqual({
      windows: 3,
      seed: 9,
      judged: 5,
      falseAlarms: 2,
      rate: 0.4,
      byCheck: [
        { name: 'lat', judged: 3, falseAlarms: 1, noData: 0 },
        { name: 'err', judged: 2, falseAlarms: 1, noData: 1 },
      ],
    });
    expect(aaSentence(f, 'v1')).toBe('A/A check: 2 of 5 checks (40.0%) raised a false alarm over 3 windows of v1 against itself (lat 1/3; err 1/2, 1 no data)');
    expect(aaSentence(aaFigures([], 1), 'v1')).toBe('A/A check: 0 of 0 checks (none judged) raised a false alarm over 0 windows of v1 against itself');
  });
});
