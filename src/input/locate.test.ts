import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatPath, keyPathAt, parsePath, positionOf, type Locatable } from './locate.js';

function src(text: string): Locatable {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return { doc, lineCounter };
}

const TEXT = [
  'spec:', //                         1
  '  slos:', //                       2
  '    - kind: latency', //           3
  '      max: 250ms', //              4
  '    - kind: error-rate', //        5
  '      max: "1%"', //               6
  '  traffic:', //                    7
  '    shift:', //                    8
  '      steps: [10, 50, 25]', //     9
  '    fault:', //                    10
  '  load: *defaults', //             11 (alias resolved below)
].join('\n');

describe('formatPath', () => {
  it('prints dotted keys and [i] indices', () => {
    expect(formatPath(['spec', 'slos', 1, 'max'])).toBe('spec.slos[1].max');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('quotes keys that are not plain identifiers', () => {
    expect(formatPath(['headers', 'end-user'])).toBe('headers.end-user');
    expect(formatPath(['labels', 'app.kubernetes.io/name'])).toBe('labels["app.kubernetes.io/name"]');
  });
});

describe('parsePath', () => {
  it('reads back every path formatPath prints', () => {
    for (const p of [['spec', 'slos', 1, 'max'], [], [0, 'a'], ['labels', 'app.kubernetes.io/name', 'x'], ['headers', 'end-user'], ['a', 'say "hi"\\', 2]]) {
      expect(parsePath(formatPath(p))).toEqual(p);
    }
  });

  it('refuses text formatPath cannot have written', () => {
    expect(parsePath('spec..load')).toBeUndefined();
    expect(parsePath('spec[x]')).toBeUndefined();
    expect(parsePath('a b')).toBeUndefined();
  });
});

describe('positionOf', () => {
  const s = src(TEXT.replace('  load: *defaults', '  load: {}'));

  it('points at a scalar value', () => {
    expect(positionOf(s, ['spec', 'slos', 1, 'max'])).toEqual({ line: 6, col: 12 });
    expect(positionOf(s, ['spec', 'traffic', 'shift', 'steps', 2])).toEqual({ line: 9, col: 23 });
  });

  it('points at the key of a map or list value, and of an empty value', () => {
    expect(positionOf(s, ['spec', 'traffic', 'shift'])).toEqual({ line: 8, col: 5 });
    expect(positionOf(s, ['spec', 'traffic', 'shift', 'steps'])).toEqual({ line: 9, col: 7 });
    expect(positionOf(s, ['spec', 'traffic', 'fault'])).toEqual({ line: 10, col: 5 });
  });

  it('points at a list item (no key) at the item itself', () => {
    expect(positionOf(s, ['spec', 'slos', 1])).toEqual({ line: 5, col: 7 });
  });

  it('points at the key when asked (unknown keys)', () => {
    expect(positionOf(s, ['spec', 'slos', 0, 'max'], 'key')).toEqual({ line: 4, col: 7 });
  });

  it('points at the deepest existing parent for a missing key', () => {
    expect(positionOf(s, ['spec', 'traffic', 'shift', 'interval'])).toEqual({ line: 8, col: 5 });
    expect(positionOf(s, ['spec', 'slos', 0, 'percentile'])).toEqual({ line: 3, col: 7 });
    expect(positionOf(s, ['metadata', 'name'])).toEqual({ line: 1, col: 1 });
    expect(positionOf(s, ['spec', 'slos', 7, 'max'])).toEqual({ line: 2, col: 3 });
  });

  it('looks paths up below the base of a source that is part of a document', () => {
    const part = { ...s, base: ['spec', 'traffic'] };
    expect(positionOf(part, ['shift', 'steps', 1])).toEqual(positionOf(s, ['spec', 'traffic', 'shift', 'steps', 1]));
    expect(positionOf(part, ['shift', 'steps', 1])).toEqual({ line: 9, col: 19 });
  });

  it('follows aliases to the anchored node', () => {
    const a = src('defaults: &d\n  rate: 5\nspec:\n  load: *d\n');
    expect(positionOf(a, ['spec', 'load', 'rate'])).toEqual({ line: 2, col: 9 });
  });
});

describe('keyPathAt', () => {
  it('finds the path of the key starting at an offset and the first key of that name', () => {
    const text = 'a: 1\nspec:\n  list:\n    - x: 1\n      y: 2\n      x: 3\n';
    const s = src(text);
    const offset = text.lastIndexOf('x:');
    const found = keyPathAt(s.doc, offset);
    expect(found?.path).toEqual(['spec', 'list', 0, 'x']);
    expect(found?.key).toBe('x');
    expect(s.lineCounter.linePos(found!.firstOffset!).line).toBe(4);
  });

  it('returns undefined when no key starts there', () => {
    const s = src('a: 1\n');
    expect(keyPathAt(s.doc, 3)).toBeUndefined();
  });
});
