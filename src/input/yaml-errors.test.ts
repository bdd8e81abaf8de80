import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { describeYamlError, significantErrors } from './yaml-errors.js';

function errorsOf(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  return { doc, lineCounter, errors: doc.errors };
}

describe('significantErrors', () => {
  it('keeps every duplicate key but only the first other error', () => {
    const { errors } = errorsOf('a: 1\na: 2\nb: [1\nc: 3\nb: 4\n');
    const kept = significantErrors(errors);
    expect(kept.filter((e) => e.code === 'DUPLICATE_KEY')).toHaveLength(errors.filter((e) => e.code === 'DUPLICATE_KEY').length);
    expect(kept.filter((e) => e.code !== 'DUPLICATE_KEY')).toHaveLength(1);
    expect(kept.map((e) => e.pos[0])).toEqual([...kept.map((e) => e.pos[0])].sort((x, y) => x - y));
  });

  it('keeps every tab line and drops what the tabs caused', () => {
    const { errors } = errorsOf('a:\n\tb: 1\nc:\n\td: [x\n');
    expect(errors.length).toBeGreaterThan(2);
    expect(significantErrors(errors).map((e) => e.code)).toEqual(['TAB_AS_INDENT', 'TAB_AS_INDENT']);
  });
});

describe('describeYamlError', () => {
  it('words a duplicate key with its path and the first line', () => {
    const { doc, lineCounter, errors } = errorsOf('spec:\n  load:\n    rate: 1\n    rate: 2\n');
    expect(describeYamlError(errors[0]!, doc, lineCounter)).toEqual({
      line: 4,
      col: 5,
      path: 'spec.load.rate',
      message: 'duplicate key "rate"',
      hint: 'it is already set on line 3; remove one of them',
    });
  });

  it('prefixes other errors with "YAML syntax error" and adds a fitting hint', () => {
    const { doc, lineCounter, errors } = errorsOf('a: {b: 1\nc: 2\n');
    const p = describeYamlError(errors[0]!, doc, lineCounter);
    expect(p.message).toMatch(/^YAML syntax error: /);
    expect(p.message).not.toMatch(/\.$/);
    expect(p.hint).toBe('a "{" map opened above is not closed with "}"');
  });
});
