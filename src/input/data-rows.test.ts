import { describe, expect, it } from 'vitest';
import { dataFormatOf, parseDataRows } from './data-rows.js';

describe('parseDataRows', () => {
  it('reads CSV rows under the header row, with their lines', () => {
    expect(parseDataRows('id,user\n1,a\n2,"b, c"\n', 'd.csv', 'csv')).toEqual({
      columns: ['id', 'user'],
      rows: [
        { values: ['1', 'a'], line: 2 },
        { values: ['2', 'b, c'], line: 3 },
      ],
    });
  });

  it('reads a JSON array of flat objects, numbers and booleans as text, with each row\'s line', () => {
    const text = '[\n  {"id": 1, "ok": true},\n\n  {"ok": false, "id": "x"}\n]\n';
    expect(parseDataRows(text, 'd.json', 'json')).toEqual({ columns: ['id', 'ok'], rows: [{ values: ['1', 'true'], line: 2 }, { values: ['x', 'false'], line: 4 }] });
  });

  it.each([
    ['csv', 'id,id\n1,2\n', 1, 'column "id" is named twice'],
    ['csv', 'id,user\n1\n', 2, '1 fields, but the header row names 2 columns'],
    ['csv', 'id\n', 1, 'no rows'],
    ['csv', '', 1, 'the file is empty'],
    ['json', '[\n{"a": 1},\n{"a": {"b": 1}}\n]', 3, 'row 2, key "a": expected a string, number or boolean, got object'],
    ['json', '[\n{"a": 1},\n{"b": 1}\n]', 3, 'row 2 has the keys b, but the first row has a'],
    ['json', '{"a": 1}', 1, 'expected a JSON array of objects'],
    ['json', '[\n{"a": 1},\n{"a": 2,}\n]', 3, 'not valid JSON'],
  ] as const)('%s %j: a problem at line %i', (format, text, line, words) => {
    const out = parseDataRows(text, 'd', format);
    expect('problem' in out && out.problem).toMatchObject({ file: 'd', line });
    expect('problem' in out && out.problem.message).toContain(words);
  });

  it('tells the format by the extension', () => {
    expect([dataFormatOf('a/B.CSV'), dataFormatOf('x.json'), dataFormatOf('x.txt')]).toEqual(['csv', 'json', undefined]);
  });
});
