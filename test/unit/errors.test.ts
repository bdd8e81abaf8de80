import { describe, expect, it } from 'vitest';
import {
  ExitCode,
  MeshExpError,
  RestoreError,
  RuntimeError,
  SignalError,
  TargetBusyError,
  UsageError,
  ValidationError,
  exitCodeOf,
  formatProblem,
} from '../../src/errors.js';

describe('exit-code table', () => {
  it('maps each error class to its documented code', () => {
    expect(exitCodeOf(new ValidationError([]))).toBe(2);
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
    expect(exitCodeOf(new RuntimeError('x'))).toBe(3);
    expect(exitCodeOf(new RestoreError('x'))).toBe(4);
    expect(exitCodeOf(new TargetBusyError('x', { owner: '/r/journal.jsonl' }))).toBe(5);
    expect(exitCodeOf(new SignalError('SIGINT'))).toBe(130);
    expect(exitCodeOf(new SignalError('SIGTERM'))).toBe(143);
    expect(exitCodeOf(new SignalError('SIGHUP'))).toBe(129);
    expect(exitCodeOf(new Error('boom'))).toBe(ExitCode.RUNTIME_ERROR);
  });

  it('keeps hint and cause', () => {
    const cause = new Error('inner');
    const e = new RuntimeError('outer', { hint: 'do this', cause });
    expect(e).toBeInstanceOf(MeshExpError);
    expect(e.hint).toBe('do this');
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('RuntimeError');
  });
});

describe('formatProblem', () => {
  it('prints file:line:col path: message and the hint', () => {
    expect(formatProblem({ file: 'a.yaml', line: 3, col: 5, path: 'spec.x', message: 'bad', hint: 'fix it' })).toBe(
      'a.yaml:3:5 spec.x: bad\n    hint: fix it',
    );
  });
  it('omits what is unknown', () => {
    expect(formatProblem({ path: '', message: 'whole file' })).toBe('whole file');
    expect(formatProblem({ file: 'a.yaml', path: 'spec', message: 'm' })).toBe('a.yaml spec: m');
  });
});
