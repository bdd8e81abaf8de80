import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS, problemCount } from '../errors.js';
import { parseYamlDocument, parseYamlStream } from './load-yaml.js';

/** A "billion laughs" document: each level multiplies the expansion by 9 (9^6 ≈ 531k strings). */
const BOMB = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...['b', 'c', 'd', 'e', 'f'].map((n, i) => {
    const prev = 'abcde'[i];
    return `${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`;
  }),
].join('\n');

describe('parseYamlStream', () => {
  it('lists at most MAX_PROBLEMS errors of a document and counts the rest in a last entry', () => {
    const text = Array.from({ length: 80 }, () => 'dup: 1').join('\n');
    const { problems } = parseYamlStream(text, 'f.yaml');
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems[0]).toMatchObject({ line: 2, message: 'duplicate key "dup"' });
    expect(problems.at(-1)).toEqual({
      file: 'f.yaml',
      line: MAX_PROBLEMS + 2,
      col: 1,
      path: '',
      message: `29 more YAML errors from here on, not listed (only the first ${MAX_PROBLEMS} are)`,
      hint: 'correct the ones listed, then validate again to see the rest',
      more: 29,
    });
    expect(problemCount(problems)).toBe(79);
  });

  it('keeps data and positions of every non-empty document', () => {
    const { docs, problems } = parseYamlStream('---\n# only a comment\n---\na: 1\n---\nb: [2]\n---\n', 'f.yaml');
    expect(problems).toEqual([]);
    expect(docs.map((d) => d.data)).toEqual([{ a: 1 }, { b: [2] }]);
    expect(docs[1]!.lineCounter.linePos(docs[1]!.doc.contents!.range![0]).line).toBe(6);
  });

  it('refuses text over the size limit before parsing it', () => {
    const { docs, problems } = parseYamlStream(`a: "${'x'.repeat(200)}"\n`, 'f.yaml', { maxBytes: 100 });
    expect(docs).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'f.yaml', line: 1, col: 1, message: 'the file is 206 B, over the 100 B limit' }),
    ]);
  });

  it('refuses an alias bomb, pointing at the first alias', () => {
    const { docs, problems } = parseYamlStream(BOMB, 'bomb.yaml');
    expect(docs).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2, col: 8 });
    expect(problems[0]!.message).toMatch(/billion laughs/);
  });

  it('allows a few aliases, and maxAliasCount tightens or relaxes the limit', () => {
    const text = 'base: &b {rate: 5}\none: *b\ntwo: *b\n';
    expect(parseYamlStream(text, 'f.yaml').docs[0]!.data).toEqual({ base: { rate: 5 }, one: { rate: 5 }, two: { rate: 5 } });
    expect(parseYamlStream(text, 'f.yaml', { maxAliasCount: 0 }).problems).toHaveLength(1);
    expect(parseYamlStream(BOMB.split('\n').slice(0, 2).join('\n'), 'f.yaml', { maxAliasCount: -1 }).problems).toEqual([]);
  });

  it('supports merge keys as kubectl does, the local value winning', () => {
    const { docs } = parseYamlStream('base: &b {rate: 5, path: /x}\nload:\n  <<: *b\n  rate: 7\n', 'f.yaml');
    expect(docs[0]!.data).toEqual({ base: { rate: 5, path: '/x' }, load: { rate: 7, path: '/x' } });
  });

  it('reports duplicate keys with the line of the first one', () => {
    const { problems } = parseYamlStream('spec:\n  rate: 1\n  rate: 2\n', 'f.yaml');
    expect(problems).toEqual([
      { file: 'f.yaml', line: 3, col: 3, path: 'spec.rate', message: 'duplicate key "rate"', hint: 'it is already set on line 2; remove one of them' },
    ]);
  });

  // Found by the fuzz suite: a complex key (`? {host: V}`) passed as the key "{ host: V }", after
  // the yaml library printed a process warning naming its own option (mapAsMap).
  it('refuses a map or a list as a key, located at the key, with no process warning', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const { docs, problems } = parseYamlStream('spec:\n  ? {host: v}\n  : 1\n[a]: 2\n', 'f.yaml');
    process.off('warning', onWarning);
    expect(docs).toEqual([]);
    expect(problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual(['2:5 a key is a map or a list; keys must be plain text']);
    expect(warnings).toEqual([]);
  });

  it('reads keys as strings, so 1 and "1" are the duplicate a JS object makes of them', () => {
    expect(parseYamlStream('1: a\n"1": b\n', 'f.yaml').problems.map((p) => p.message)).toEqual(['duplicate key "1"']);
    expect(parseYamlStream('200: ok\ntrue: yes\nnull: x\n', 'f.yaml').docs[0]!.data).toEqual({ '200': 'ok', true: 'yes', null: 'x' });
  });

  it('reports each tab-indented line once, without follow-up errors', () => {
    const { problems } = parseYamlStream('a:\n\tb: 1\n\tc: 2\n', 'f.yaml');
    expect(problems.map((p) => [p.line, p.col, p.message])).toEqual([
      [2, 1, 'a tab is used for indentation; YAML allows only spaces'],
      [3, 1, 'a tab is used for indentation; YAML allows only spaces'],
    ]);
  });

  it('reports a syntax error with its position', () => {
    const { problems } = parseYamlStream('a: "open\nb: 1\n', 'f.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^YAML syntax error: missing closing "quote/);
    expect(problems[0]!.hint).toBe('close the quote that was opened');
  });
});

describe('parseYamlDocument', () => {
  it('accepts one document, with a leading --- and a trailing one', () => {
    expect(parseYamlDocument('---\na: 1\n---\n', 'f.yaml').source?.data).toEqual({ a: 1 });
  });

  it('refuses several documents, pointing at the second', () => {
    const { source, problems } = parseYamlDocument('a: 1\n---\nb: 2\n', 'f.yaml');
    expect(source).toBeUndefined();
    expect(problems).toMatchObject([{ line: 2, col: 1, message: 'an experiment file holds one YAML document, but this one has 2' }]);
  });

  it('refuses an empty file', () => {
    expect(parseYamlDocument('# nothing\n', 'f.yaml').problems).toMatchObject([{ line: 1, col: 1, message: 'the file is empty' }]);
  });
});
