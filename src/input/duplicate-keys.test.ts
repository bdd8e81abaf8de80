import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { duplicateKeyErrors } from './duplicate-keys.js';

/** Offsets of the library's own DUPLICATE_KEY errors (its quadratic uniqueKeys check), the reference. */
function libraryOffsets(text: string): number[] {
  const doc = parseDocument(text, { uniqueKeys: true, merge: true });
  return doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]);
}

const ours = (text: string) => duplicateKeyErrors(parseDocument(text, { uniqueKeys: false, merge: true }), { merge: true });

describe('duplicateKeyErrors', () => {
  it.each([
    ['a top-level repeat', 'a: 1\nb: 2\na: 3\n'],
    ['nested maps and lists of maps', 'spec:\n  x: 1\n  x: 2\n  l:\n    - {k: 1, k: 2}\n    - k: 3\n'],
    ['three of the same key', 'r: 1\nr: 2\nr: 3\n'],
    ['the number 1 and the string "1" are different keys', '1: a\n"1": b\n'],
    ['merge keys may repeat', 'base: &b {x: 1}\nother: &o {y: 2}\nm:\n  <<: *b\n  <<: *o\n'],
    ['no duplicates at all', 'a: 1\nb: {c: 2, d: 3}\n'],
  ])('finds what the library finds: %s', (_, text) => {
    const found = ours(text);
    expect(found.map((e) => e.pos[0])).toEqual(libraryOffsets(text));
    for (const e of found) expect(e.code).toBe('DUPLICATE_KEY');
  });

  it('finds every repeat of a wide map (the case the library takes quadratic time for)', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `k${i % 1000}: ${i}`).join('\n');
    expect(ours(text)).toHaveLength(2000);
  });
});
