/**
 * `mesh-exp report` through the CLI in-process, on the output of a real run: the reports come
 * back byte for byte from result.json, result.json matches the published JSON Schema (checked by
 * ajv, independently of the zod schema it was generated from), junit.xml parses, --compare adds
 * the previous run, and bad input is a located user error (exit 2) without a stack trace.
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/result.js';
import { REPO_ROOT as repoRoot, runCliInProcess as cli } from '../../support/cli.js';
const REPORTS = ['junit.xml', 'report.html', 'result.json', 'summary.md'];

let root: string;
let runDir: string;
let result: RunResult;
const read = (...p: string[]) => readFile(path.join(...p), 'utf8');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-report-cli-'));
  runDir = path.join(root, 'run');
  const { code, stderr } = await cli(['run', 'test/fixtures/runner/canary-short.yaml', '--report-dir', runDir, '--no-progress']);
  expect(code, stderr).toBe(0);
  result = JSON.parse(await read(runDir, 'result.json')) as RunResult;
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('what mesh-exp run writes', () => {
  it('result.json of a real run matches schema/result.schema.json, timelines included', async () => {
    const schema = JSON.parse(await read(repoRoot, 'schema/result.schema.json'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result.steps.every((s) => s.timeline.length > 0)).toBe(true);
  });

  it('junit.xml has one testcase per check per step, none failed', async () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(await read(runDir, 'junit.xml'));
    const cases = [doc.testsuites.testsuite.testcase].flat() as { classname: string; name: string; failure?: unknown }[];
    expect(cases.map((c) => [c.classname, c.name])).toEqual(result.steps.flatMap((s) => s.checks.map((c) => [`canary-short/step ${s.index + 1} (${s.label})`, c.name])));
    expect(cases.filter((c) => c.failure)).toEqual([]);
    expect(doc.testsuites.testsuite.failures).toBe('0');
  });
});

describe('mesh-exp report', () => {
  it('renders the same reports again from result.json alone', async () => {
    const saved = path.join(root, 'saved');
    await mkdir(saved);
    await copyFile(path.join(runDir, 'result.json'), path.join(saved, 'result.json'));
    const out = path.join(root, 'again');
    const { code, stdout, stderr } = await cli(['report', saved, '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')[0]).toBe(result.summary);
    expect((await readdir(out)).sort()).toEqual(REPORTS);
    for (const f of REPORTS) expect(await read(out, f), f).toBe(await read(runDir, f));
  });

  it('--compare puts the previous run beside this one in report.html and summary.md', async () => {
    const prev = path.join(root, 'previous');
    await mkdir(prev);
    const older: RunResult = JSON.parse(JSON.stringify(result));
    older.steps[0]!.checks[0]!.value = 0.5;
    older.summary = 'An older run.';
    await writeFile(path.join(prev, 'result.json'), JSON.stringify(older));
    const out = path.join(root, 'compared');
    const { code, stdout } = await cli(['report', runDir, '--compare', prev, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('compared with');
    const page = await read(out, 'report.html');
    expect(page).toContain('<section id="compare">');
    expect(page).toContain('An older run.');
    const md = await read(out, 'summary.md');
    expect(md).toContain(`| 1 | ${result.steps[0]!.checks[0]!.name} | 50.00% → 0.00% (-50.00 pp) |`);
  });

  it('names the file, line and field of a broken result.json, exit 2, no stack trace', async () => {
    const broken = path.join(root, 'broken');
    await mkdir(broken);
    const bad = JSON.parse(JSON.stringify(result));
    bad.steps[0].checks[0].verdict = 'maybe';
    await writeFile(path.join(broken, 'result.json'), JSON.stringify(bad, null, 2));
    const { code, stderr } = await cli(['report', broken]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/result\.json:\d+:\d+ steps\[0\]\.checks\[0\]\.verdict: expected one of "pass", "fail", "no-data", got the string "maybe"/);
    expect(stderr).toContain('hint: not a result.json this mesh-exp can read: see schema/result.schema.json');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says when there is no run directory, or no result.json in it (exit 2)', async () => {
    const missing = await cli(['report', path.join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/error: .*nope: no such run directory\nhint: /);
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    const none = await cli(['report', runDir, '--compare', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('result.json: not found');
  });

  it('is a runtime error (exit 3) when the reports cannot be written', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, '');
    const { code, stderr } = await cli(['report', runDir, '--out', file]);
    expect(code).toBe(3);
    expect(stderr).toContain('cannot write the reports to');
  });

  it('--help shows examples and the exit codes', async () => {
    const { code, stdout } = await cli(['report', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--compare <run-dir>');
    expect(stdout).toContain('$ mesh-exp report reports/');
    expect(stdout).toMatch(/2 +no such run directory, or its result\.json is not valid/);
  });
});
