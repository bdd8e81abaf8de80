/**
 * A fuzzed result.json with sequential traces must never crash `mesh-exp report`: seeded cases
 * (test/support/fuzz/result-case.ts) of the sequential fixture mutated through the schema's
 * `steps[].sequential` and `steps[].endedEarly` fields, long traces and damaged bytes, each
 * command in-process. Same knobs as the experiment fuzz: MESH_EXP_FUZZ_SEED, MESH_EXP_FUZZ_RUNS
 * (here a fifth of it), MESH_EXP_FUZZ_PATH to replay a counterexample.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../support/fuzz/fuzz-settings.js';
import { resultCaseArbitrary, runResultCase } from '../../support/fuzz/result-case.js';

const settings = fuzzSettings(process.env);
const runs = Math.max(1, Math.floor(settings.runs / 5));
const replayPath = process.env['MESH_EXP_FUZZ_PATH'] || undefined;
let root = '';
let n = 0;
let lastProblems = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-result-fuzz-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fuzz: result.json with sequential traces through mesh-exp report', () => {
  it(`${runs} cases: documented exit codes, no stack trace, chart data and summary lines for every test rendered`, async () => {
    const result = await fc.check(
      fc.asyncProperty(resultCaseArbitrary, async (c) => {
        const problems = await runResultCase(c, path.join(root, String(++n)));
        if (problems.length) throw new Error((lastProblems = problems.join('\n')));
      }),
      { seed: settings.seed, numRuns: runs, ...(replayPath ? { path: replayPath } : {}), endOnFailure: true },
    );
    console.log(`result.json fuzz: seed ${settings.seed}, ${result.numRuns} cases${result.failed ? `, FAILED (path ${result.counterexamplePath})` : ''}`);
    expect(result.failed, `${fc.defaultReportMessage(result) ?? ''}\n${lastProblems}`).toBe(false);
  });
});
