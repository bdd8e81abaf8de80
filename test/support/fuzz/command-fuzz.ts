/**
 * The shape the smaller fuzz suites share (index.jsonl through `history`, result.json through
 * `report`): seeded cases of one arbitrary, each run in its own directory under a temporary root,
 * a case failing when its runner lists a problem. Same knobs as the experiment fuzz:
 * MESH_EXP_FUZZ_SEED, MESH_EXP_FUZZ_RUNS (here a fifth of it, the commands are cheaper to cover),
 * MESH_EXP_FUZZ_PATH to replay a counterexample.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzSettings } from './fuzz-settings.js';

/** What one suite fuzzes. */
export interface CommandFuzz<C> {
  /** The describe block's title. */
  title: string;
  /** The test's title after "<runs> cases: ". */
  checks: string;
  /** How the summary line names the suite, e.g. "history fuzz". */
  label: string;
  /** The cases. */
  arbitrary: fc.Arbitrary<C>;
  /** Runs one case in `dir` and returns what went wrong (nothing: it passed). */
  run(c: C, dir: string): Promise<string[]>;
}

/** Registers the suite's describe block, its temporary root and its one property test. */
export function describeCommandFuzz<C>(suite: CommandFuzz<C>): void {
  const settings = fuzzSettings(process.env);
  const runs = Math.max(1, Math.floor(settings.runs / 5));
  const replayPath = process.env['MESH_EXP_FUZZ_PATH'] || undefined;
  let root = '';
  let n = 0;
  let lastProblems = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-fuzz-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  describe(suite.title, () => {
    it(`${runs} cases: ${suite.checks}`, async () => {
      const result = await fc.check(
        fc.asyncProperty(suite.arbitrary, async (c) => {
          const problems = await suite.run(c, path.join(root, String(++n)));
          if (problems.length) throw new Error((lastProblems = problems.join('\n')));
        }),
        { seed: settings.seed, numRuns: runs, ...(replayPath ? { path: replayPath } : {}), endOnFailure: true },
      );
      console.log(`${suite.label}: seed ${settings.seed}, ${result.numRuns} cases${result.failed ? `, FAILED (path ${result.counterexamplePath})` : ''}`);
      expect(result.failed, `${fc.defaultReportMessage(result) ?? ''}\n${lastProblems}`).toBe(false);
    }, 10 * 60_000);
  });
}
