import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem, UsageError, ValidationError } from '../errors.js';
import { loadRunResult, SEQUENTIAL_RESULT_FIXTURE } from '../../test/unit/report/fixture.js';
import { readSavedRun } from './read-result.js';
import { stableStringify } from './stable-json.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-read-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Writes `text` as <root>/<name>/result.json and returns the run directory's name. */
async function runDir(name: string, text: string): Promise<string> {
  await mkdir(path.join(root, name), { recursive: true });
  await writeFile(path.join(root, name, 'result.json'), text);
  return name;
}

/** The problems a ValidationError carries, formatted as the CLI prints them. */
async function problems(arg: string): Promise<string[]> {
  const err = await readSavedRun(arg, root).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).problems.map(formatProblem);
}

describe('readSavedRun', () => {
  it('reads a run directory, or its result.json named directly', async () => {
    const dir = await runDir('good', stableStringify(loadRunResult()));
    const saved = await readSavedRun(dir, root);
    expect(saved.result).toEqual(loadRunResult());
    expect(saved).toMatchObject({ file: path.join('good', 'result.json'), dir: path.join(root, 'good') });
    expect((await readSavedRun(path.join(dir, 'result.json'), root)).file).toBe(path.join('good', 'result.json'));
  });

  it('reads a run with sequential tests (steps[].sequential, endedEarly) as saved: the fixture is a valid result.json', async () => {
    const saved = await readSavedRun(SEQUENTIAL_RESULT_FIXTURE, root);
    const step = saved.result.steps[1]!;
    expect([step.endedEarly, step.sequential!.map((t) => [t.name, t.decision, t.crossedAt])]).toEqual(['regression', [['canary-error-rate', 'continue', undefined], ['error-rate-vs-stable', 'regression', 14], ['latency-vs-stable', 'continue', undefined]]]);
    expect(saved.result.steps[0]!.sequential![0]!.points).toHaveLength(30);
  });

  it('locates a problem inside a sequential trace', async () => {
    const r = JSON.parse(await readFile(SEQUENTIAL_RESULT_FIXTURE, 'utf8')) as { steps: { sequential: { threshold: unknown; points: { samples: Record<string, unknown> }[] }[] }[] };
    r.steps[1]!.sequential[0]!.threshold = 0.5;
    r.steps[1]!.sequential[0]!.points[3]!.samples['canary'] = -1;
    await runDir('seq-bad', stableStringify(r));
    expect(await problems('seq-bad')).toEqual([
      expect.stringMatching(/^seq-bad\/result\.json:\d+:\d+ steps\[1\]\.sequential\[0\]\.threshold: /),
      expect.stringMatching(/^seq-bad\/result\.json:\d+:\d+ steps\[1\]\.sequential\[0\]\.points\[3\]\.samples\.canary: /),
    ]);
  });

  it('names the file, the line and the field of every problem', async () => {
    const r = loadRunResult() as unknown as { outcome?: string; steps: { checks: { verdict: string }[]; stats: { count: unknown }[] }[] };
    r.steps[1]!.checks[0]!.verdict = 'ok';
    r.steps[0]!.stats[0]!.count = 'many';
    delete r.outcome;
    await runDir('fields', stableStringify(r));
    const found = await problems('fields');
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^fields\/result\.json:\d+:\d+ steps\[1\]\.checks\[0\]\.verdict: expected one of "pass", "fail", "no-data", got the string "ok"$/),
        expect.stringMatching(/^fields\/result\.json:\d+:\d+ steps\[0\]\.stats\[0\]\.count: expected a number, got the string "many"$/),
        expect.stringMatching(/^fields\/result\.json:\d+:\d+ outcome: /),
      ]),
    );
  });

  it('refuses unknown fields (a rewrite would drop them), with a did-you-mean', async () => {
    const r = loadRunResult() as unknown as { steps: { checks: Record<string, unknown>[] }[] };
    r.steps[0]!.checks[0]!['treshold'] = 1;
    await runDir('unknown', stableStringify(r));
    expect(await problems('unknown')).toEqual([expect.stringMatching(/^unknown\/result\.json:\d+:\d+ steps\[0\]\.checks\[0\]\.treshold: unknown field "treshold"\n    hint: did you mean "threshold"\?$/)]);
  });

  it('locates a JSON syntax error', async () => {
    await runDir('syntax', '{\n  "schemaVersion": 1,\n  "name": \n}\n');
    expect(await problems('syntax')).toEqual([expect.stringMatching(/^syntax\/result\.json:\d+:\d+ not valid JSON: /)]);
  });

  it('refuses a schemaVersion it does not know with one message', async () => {
    await runDir('newer', JSON.stringify({ ...loadRunResult(), schemaVersion: 2, steps: 'changed' }));
    await expect(readSavedRun('newer', root)).rejects.toMatchObject({ message: expect.stringContaining('schemaVersion 2 is not one this mesh-exp reads'), hint: expect.stringContaining('newer mesh-exp') });
  });

  it('says plainly when there is no run directory or no result.json in it', async () => {
    await expect(readSavedRun('nowhere', root)).rejects.toThrow(UsageError);
    await expect(readSavedRun('nowhere', root)).rejects.toThrow('nowhere: no such run directory');
    await mkdir(path.join(root, 'empty'));
    await expect(readSavedRun('empty', root)).rejects.toMatchObject({ message: `${path.join('empty', 'result.json')}: not found`, exitCode: 2 });
  });
});
