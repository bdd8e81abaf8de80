import { describe, expect, it } from 'vitest';
import { SignalError } from '../errors.js';
import { exitCodeFor, summaryFor } from './outcome.js';

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
