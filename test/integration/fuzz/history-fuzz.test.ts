/**
 * A fuzzed index.jsonl must never crash `mesh-exp history` or `mesh-exp report --trend`: seeded
 * cases (test/support/fuzz/history-case.ts) of valid, schema-mutated, junk and byte-damaged lines
 * and fuzzed --since / --experiment values, each command in-process. Same knobs as the
 * experiment fuzz: MESH_EXP_FUZZ_SEED, MESH_EXP_FUZZ_RUNS (here a fifth of it, the commands are
 * cheaper to cover), MESH_EXP_FUZZ_PATH to replay a counterexample.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyCaseArbitrary, runHistoryCase } from '../../support/fuzz/history-case.js';
import { fuzzSettings } from '../../support/fuzz/fuzz-settings.js';

const settings = fuzzSettings(process.env);
const runs = Math.max(1, Math.floor(settings.runs / 5));
const replayPath = process.env['MESH_EXP_FUZZ_PATH'] || undefined;
let root = '';
let n = 0;
let lastProblems = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-history-fuzz-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('fuzz: index.jsonl and flags through history and report --trend', () => {
  it(`${runs} cases: documented exit codes, no stack trace, every line listed or warned about`, async () => {
    const result = await fc.check(
      fc.asyncProperty(historyCaseArbitrary, async (c) => {
        const problems = await runHistoryCase(c, path.join(root, String(++n)));
        if (problems.length) throw new Error((lastProblems = problems.join('\n')));
      }),
      { seed: settings.seed, numRuns: runs, ...(replayPath ? { path: replayPath } : {}), endOnFailure: true },
    );
    console.log(`history fuzz: seed ${settings.seed}, ${result.numRuns} cases${result.failed ? `, FAILED (path ${result.counterexamplePath})` : ''}`);
    expect(result.failed, `${fc.defaultReportMessage(result) ?? ''}\n${lastProblems}`).toBe(false);
  }, 10 * 60_000);
});
