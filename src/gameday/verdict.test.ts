import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.js';
import type { GameDayExperimentResult, GameDayStatus } from '../model/gameday-result.js';
import { judgeGameDay, statusOfRun } from './verdict.js';

const exp = (index: number, status: GameDayStatus, exitCode?: number): GameDayExperimentResult => ({
  index,
  name: `e${index}`,
  source: 'inline',
  continueOnFailure: false,
  status,
  summary: status,
  ...(exitCode !== undefined ? { exitCode } : {}),
});

describe('statusOfRun', () => {
  it('maps each run outcome, and a failed restore to error whatever the outcome', () => {
    expect(statusOfRun({ outcome: 'promoted', restored: true })).toBe('passed');
    expect(statusOfRun({ outcome: 'passed', restored: true })).toBe('passed');
    expect(statusOfRun({ outcome: 'rolled-back', restored: true })).toBe('failed');
    expect(statusOfRun({ outcome: 'interrupted', restored: true })).toBe('interrupted');
    expect(statusOfRun({ outcome: 'error', restored: true })).toBe('error');
    expect(statusOfRun({ outcome: 'rolled-back', restored: false })).toBe('error');
  });
});

describe('judgeGameDay', () => {
  it('allPass: 0 when every experiment passed, 1 when one failed its SLOs', () => {
    expect(judgeGameDay([exp(0, 'passed', 0), exp(1, 'passed', 0)], 0)).toMatchObject({ verdict: 'pass', failures: 0, exitCode: ExitCode.OK });
    const failed = judgeGameDay([exp(0, 'passed', 0), exp(1, 'failed', 1)], 0);
    expect(failed).toMatchObject({ verdict: 'fail', failures: 1, exitCode: ExitCode.SLO_FAILED });
    expect(failed.summary).toBe('1 of 2 experiments passed (1 passed, 1 failed); every experiment must pass.');
  });

  it('maxFailures tolerates that many experiments that did not pass, skipped ones included', () => {
    expect(judgeGameDay([exp(0, 'failed', 1), exp(1, 'passed', 0)], 1)).toMatchObject({ verdict: 'pass', exitCode: ExitCode.OK });
    expect(judgeGameDay([exp(0, 'failed', 1), exp(1, 'skipped')], 1)).toMatchObject({ verdict: 'fail', failures: 2, exitCode: ExitCode.SLO_FAILED });
  });

  it('ends with the worst other code of the table whatever the verdict: a failed restore before a signal before an error', () => {
    expect(judgeGameDay([exp(0, 'error', 3), exp(1, 'passed', 0)], 5)).toMatchObject({ verdict: 'pass', exitCode: ExitCode.RUNTIME_ERROR });
    expect(judgeGameDay([exp(0, 'error', 3), exp(1, 'interrupted', 130), exp(2, 'skipped')], 0).exitCode).toBe(ExitCode.SIGINT);
    expect(judgeGameDay([exp(0, 'interrupted', 143), exp(1, 'error', 4)], 0).exitCode).toBe(ExitCode.RESTORE_FAILED);
    expect(judgeGameDay([exp(0, 'error', 5), exp(1, 'error', 2)], 0).exitCode).toBe(ExitCode.TARGET_BUSY);
  });

  it('takes the code of a signal that stopped the day between two experiments', () => {
    expect(judgeGameDay([exp(0, 'passed', 0), exp(1, 'skipped')], 0, ExitCode.SIGTERM)).toMatchObject({ verdict: 'fail', exitCode: ExitCode.SIGTERM });
  });
});
