import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';

const fields = (text: string) => {
  const out = parseCsv(text);
  if ('error' in out) throw new Error(out.error.message);
  return out.records.map((r) => [r.line, ...r.fields]);
};

describe('parseCsv (RFC 4180)', () => {
  it('splits fields and records, LF or CRLF, a final line end optional, blank lines skipped', () => {
    expect(fields('a,b\n1,2\r\n3,\n\n4,5')).toEqual([[1, 'a', 'b'], [2, '1', '2'], [3, '3', ''], [5, '4', '5']]);
  });

  it('reads quoted fields holding commas, quotes and line ends, and counts their lines', () => {
    expect(fields('a,b\n"x, y","say ""hi"""\n"two\nlines",z\nlast,1\n')).toEqual([
      [1, 'a', 'b'],
      [2, 'x, y', 'say "hi"'],
      [3, 'two\nlines', 'z'],
      [5, 'last', '1'],
    ]);
  });

  it('keeps a CR LF inside quotes as data (validation decides whether it can be sent)', () => {
    expect(fields('a\n"b\r\nc"\n')).toEqual([[1, 'a'], [2, 'b\r\nc']]);
  });

  it.each([
    ['a\n"open\n', 2, 'a quoted field is not closed'],
    ['a\nx"y\n', 2, 'a " inside an unquoted field'],
    ['a\n"q"x\n', 2, 'a quoted field must end at a comma or a line end'],
    ['a\nb\rc\n', 2, 'a bare CR'],
  ])('refuses %j at line %i', (text, line, words) => {
    const out = parseCsv(text);
    expect('error' in out && out.error).toMatchObject({ line });
    expect('error' in out && out.error.message).toContain(words);
  });
});
