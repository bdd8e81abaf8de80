import { describe, expect, it } from 'vitest';
import { RuntimeError, SignalError, ValidationError } from '../errors.js';
import { errorText, exitCodeFor, summaryFor } from './outcome.js';

describe('exitCodeFor', () => {
  it('maps outcomes to the exit-code table', () => {
    expect(exitCodeFor({ outcome: 'promoted', steps: [], restored: true })).toBe(0);
    expect(exitCodeFor({ outcome: 'passed', steps: [], restored: true })).toBe(0);
    expect(exitCodeFor({ outcome: 'rolled-back', steps: [], restored: true })).toBe(1);
    expect(exitCodeFor({ outcome: 'error', steps: [], restored: true })).toBe(3);
    expect(exitCodeFor({ outcome: 'error', steps: [], restored: true, errorExitCode: 2 })).toBe(2);
    expect(exitCodeFor({ outcome: 'interrupted', steps: [], restored: true, abortReason: new SignalError('SIGINT') })).toBe(130);
    expect(exitCodeFor({ outcome: 'interrupted', steps: [], restored: true, abortReason: new SignalError('SIGTERM') })).toBe(143);
    expect(exitCodeFor({ outcome: 'interrupted', steps: [], restored: true, abortReason: new SignalError('SIGHUP') })).toBe(129);
  });

  it('makes a failed restore exit 4 whatever else happened', () => {
    for (const outcome of ['passed', 'rolled-back', 'error', 'interrupted'] as const) {
      expect(exitCodeFor({ outcome, steps: [], restored: false, abortReason: new SignalError('SIGINT') })).toBe(4);
    }
  });
});

describe('summaryFor', () => {
  it('names the signal and the step that was running', () => {
    const s = summaryFor({ outcome: 'interrupted', steps: [], restored: true, abortReason: new SignalError('SIGTERM'), activeStep: 0 });
    expect(s).toBe('Interrupted by SIGTERM during step 1; the mesh was restored.');
  });
});

describe('errorText', () => {
  // Found by the fuzz suite: a pattern the mesh refused at step 1 ended the run with
  // "Error during step 1: 1 problem found" and nothing saying which problem.
  it('names a ValidationError\'s first problems after its count', () => {
    const problem = (n: number) => ({ path: `spec.http[${n}].match`, message: `bad pattern ${n}` });
    expect(errorText(new ValidationError([problem(0)]))).toBe('1 problem found: spec.http[0].match: bad pattern 0');
    expect(errorText(new ValidationError([0, 1, 2, 3, 4].map(problem)))).toBe(
      '5 problems found: spec.http[0].match: bad pattern 0; spec.http[1].match: bad pattern 1; spec.http[2].match: bad pattern 2; and 2 more',
    );
    expect(errorText(new ValidationError([{ path: '', message: 'no path' }]))).toBe('1 problem found: no path');
  });

  it('is the message of any other error', () => {
    expect(errorText(new RuntimeError('connection refused'))).toBe('connection refused');
    expect(errorText('plain')).toBe('plain');
  });
});
