/**
 * load.requests and load.data, refused the same way by validate and run (exit 2, file:line, no
 * stack trace): a data file that does not parse, a placeholder naming no column, a CR/LF a row
 * would put into a header, duplicate request names, body with bodyFile, placeholders without data,
 * too many requests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';

/** A valid experiment whose load is `load` (YAML lines under `load:`, indented 4). */
function experiment(load: string[]): string {
  const manifests = JSON.stringify(path.join(REPO_ROOT, 'test/fixtures/valid/_istio'));
  return [
    'apiVersion: mesh-exp.dev/v1alpha1',
    'kind: Experiment',
    'metadata:',
    '  name: scenario',
    'spec:',
    '  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }',
    '  traffic:',
    '    shift: { steps: [50], interval: 1s }',
    '  load:',
    '    rate: 10',
    ...load.map((l) => `    ${l}`),
    `  local: { manifests: [${manifests}] }`,
    '',
  ].join('\n');
}

const TWO = ['requests:', '  - { name: read, path: "/r/{{ id }}", weight: 3 }', '  - { name: write, method: POST, path: "/w/{{ id }}", body: "{{ id }}" }'];

/** [case, load lines, data file text (rows.csv), where the problem is (file:line prefix), words]. */
const CASES: [string, string[], string | undefined, RegExp, string][] = [
  ['a data file with an unclosed quote', [...TWO, 'data: { file: rows.csv }'], 'id\n1\n"2\n', /^rows\.csv:3:1 /, 'a quoted field is not closed'],
  ['a row with too few fields', [...TWO, 'data: { file: rows.csv }'], 'id,user\n1,a\n2\n', /^rows\.csv:3:1 /, '1 fields, but the header row names 2 columns'],
  ['a missing data file', [...TWO, 'data: { file: nowhere.csv }'], undefined, /^exp\.yaml:14:\d+ spec\.load\.data\.file: /, '"nowhere.csv": file not found'],
  ['a placeholder naming no column', [...TWO, 'data: { file: rows.csv }'], 'idd,user\n1,a\n', /^exp\.yaml:12:\d+ spec\.load\.requests\[0\]\.path: /, 'no column "id" in rows.csv (columns: idd, user)'],
  ['a row putting a CR LF into a header', ['headers: { x-user: "{{ user }}" }', ...TWO, 'data: { file: rows.csv }'], 'id,user\n1,a\n2,"b\r\nc"\n', /^rows\.csv:3:1 /, 'this row fills spec.load.headers.x-user ({{ user }}) with a value that cannot be sent: it must not contain a CR'],
  ['a row putting a space into a path', [...TWO, 'data: { file: rows.csv }'], 'id\n1\na b\n', /^rows\.csv:3:1 /, 'fills spec.load.requests[0].path ({{ id }}) with a value that cannot be sent: it must not contain a space'],
  ['duplicate request names', ['requests:', '  - { name: read }', '  - { name: read, method: POST }'], undefined, /^exp\.yaml:13:\d+ spec\.load\.requests\[1\]\.name: /, 'request name "read" is already used by requests[0]'],
  ['body with bodyFile', ['requests:', '  - { name: post, method: POST, body: x, bodyFile: body.json }'], undefined, /^exp\.yaml:12:\d+ spec\.load\.requests\[0\]\.bodyFile: /, 'give body or bodyFile, not both'],
  ['placeholders without load.data', ['requests:', '  - { name: read, path: "/r/{{ id }}" }'], undefined, /^exp\.yaml:12:\d+ spec\.load\.requests\[0\]\.path: /, '{{ id }} has no data to fill it: load.data is not set'],
  ['a bodyFile that does not exist', ['requests:', '  - { name: post, method: POST, bodyFile: bodies/none.json }'], undefined, /^exp\.yaml:12:\d+ spec\.load\.requests\[0\]\.bodyFile: /, '"bodies/none.json": file not found'],
  ['two header names differing only in case', ['requests:', '  - { name: read, headers: { X-A: "1", x-a: "2" } }'], undefined, /^exp\.yaml:12:\d+ spec\.load\.requests\[0\]\.headers\.x-a: /, 'the same header as "X-A"'],
  ['JSON data that does not parse', [...TWO, 'data: { file: rows.csv, format: json }'], '[\n  {"id": 1},\n  {"id": 2,}\n]\n', /^rows\.csv:3:1 /, 'not valid JSON'],
  ['51 requests', ['requests:', ...Array.from({ length: 51 }, (_, i) => `  - { name: r${i} }`)], undefined, /^exp\.yaml:11:\d+ spec\.load\.requests: /, 'needs at most 50 entries, got 51'],
];

describe('load.requests and load.data: validate and run refuse the same way', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-scenario-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a valid scripted load passes validate (each case changes one thing)', async () => {
    const sub = path.join(dir, 'valid');
    await rm(sub, { recursive: true, force: true });
    await mkdir(sub);
    await writeFile(path.join(sub, 'exp.yaml'), experiment([...TWO, 'data: { file: rows.csv }']));
    await writeFile(path.join(sub, 'rows.csv'), 'id,user\n1,a\n2,"b, c"\n');
    const { code, stdout, stderr } = await runCliInProcess(['validate', 'exp.yaml'], sub);
    expect(code, stdout + stderr).toBe(0);
  });

  it.each(CASES)('%s: exit 2 at file:line from both commands', async (name, load, data, where, words) => {
    const sub = path.join(dir, name.replace(/\W+/g, '-'));
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, 'exp.yaml'), experiment(load));
    if (data !== undefined) await writeFile(path.join(sub, 'rows.csv'), data);
    const lines: string[] = [];
    for (const command of ['validate', 'run']) {
      const { code, stdout, stderr } = await runCliInProcess([command, 'exp.yaml', ...(command === 'run' ? ['--report-dir', path.join(sub, 'runs')] : [])], sub);
      const text = stdout + stderr;
      expect(code, `${command}: ${text}`).toBe(2);
      const line = text.split('\n').find((l) => where.test(l));
      expect(line, `${command}: ${text}`).toBeDefined();
      expect(line).toContain(words);
      expect(text).not.toMatch(/\n\s+at /);
      lines.push(line!);
    }
    expect(lines[1]).toBe(lines[0]);
  });

  it('a placeholder in a bodyFile naming no column is refused at the bodyFile field, naming the file', async () => {
    const sub = path.join(dir, 'body-file');
    await mkdir(path.join(sub, 'bodies'), { recursive: true });
    await writeFile(path.join(sub, 'exp.yaml'), experiment(['requests: [{ name: post, method: POST, bodyFile: bodies/post.json }]', 'data: { file: rows.csv }']));
    await writeFile(path.join(sub, 'bodies/post.json'), '{"user": "{{ usr }}"}');
    await writeFile(path.join(sub, 'rows.csv'), 'user\na\n');
    const { code, stdout, stderr } = await runCliInProcess(['validate', 'exp.yaml'], sub);
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(/exp\.yaml:11:\d+ spec\.load\.requests\[0\]\.bodyFile: \{\{ usr \}\} \(in bodies\/post\.json\): no column "usr" in rows\.csv \(columns: user\)/);
  });

  it('a placeholder naming no column gets a did-you-mean hint', async () => {
    const sub = path.join(dir, 'hint');
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, 'exp.yaml'), experiment(['requests: [{ name: read, path: "/p/{{ product }}" }]', 'data: { file: rows.csv }']));
    await writeFile(path.join(sub, 'rows.csv'), 'prodcut,user\n1,a\n');
    const { stdout, stderr } = await runCliInProcess(['validate', 'exp.yaml'], sub);
    expect(stdout + stderr).toMatch(/exp\.yaml:11:\d+ spec\.load\.requests\[0\]\.path: \{\{ product \}\}: no column "product" in rows\.csv \(columns: prodcut, user\)\n\s+hint: did you mean "prodcut"\?/);
  });
});
