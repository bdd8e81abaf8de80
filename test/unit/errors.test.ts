import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EXIT_CODE_TABLE,
  ExitCode,
  exitCodesHelp,
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

describe('EXIT_CODE_TABLE', () => {
  it('has one row per ExitCode, named after it, in ascending code order', () => {
    expect(EXIT_CODE_TABLE.map((e) => e.name).sort()).toEqual(Object.keys(ExitCode).sort());
    for (const e of EXIT_CODE_TABLE) expect(e.code).toBe(ExitCode[e.name]);
    const codes = EXIT_CODE_TABLE.map((e) => e.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
  });

  it("is the README's exit-code table, word for word", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Exit codes\n'));
    expect(section.length, 'README has no "## Exit codes" section').toBeLessThan(readme.length);
    // The first table of the section: its header, separator and rows, up to the first non-table line.
    const lines = section.split('\n');
    const first = lines.findIndex((l) => l.startsWith('|'));
    const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
    const table = lines.slice(first, end);
    expect(table.slice(0, 2)).toEqual(['| code | meaning |', '|---|---|']);
    const rows = table.slice(2).map((row) => {
      const cells = row.split('|').slice(1, -1).map((c) => c.trim());
      return { code: Number(cells[0]), meaning: cells[1] };
    });
    expect(rows).toEqual(EXIT_CODE_TABLE.map(({ code, meaning }) => ({ code, meaning })));
  });

  it('is what --help prints, one line per code', () => {
    const lines = exitCodesHelp().split('\n');
    expect(lines).toHaveLength(EXIT_CODE_TABLE.length);
    expect(lines[0]).toBe('  0    passed: promoted, or restored after a passing run');
  });
});
