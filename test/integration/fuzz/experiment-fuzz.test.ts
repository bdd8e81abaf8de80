/**
 * Issue 18's standing fuzz suite: at least 1,000 generated experiment and game-day files per run
 * (seeded, replayable), each through `mesh-exp validate` and `mesh-exp run` in-process, `run` interrupted
 * (as by Ctrl-C) after a seeded delay. Every case must end in time, exit with a documented code,
 * print no stack trace, leave no rejection, warning, open handle or listening mesh behind, and keep
 * the heap under its bound (test/support/fuzz/: fuzz-settings.ts states the bounds and why).
 *
 *   MESH_EXP_FUZZ_SEED=<n>    the seed (default: today's UTC date as YYYYMMDD)
 *   MESH_EXP_FUZZ_RUNS=<n>    files in all, split over the four profiles (default 1000)
 *   MESH_EXP_FUZZ_PATH=<p>    with the seed of a failure: replay only its counterexample
 *   MESH_EXP_FUZZ_TRACE=<f>   append each case to file f before it runs (a worker crash's last line)
 *
 * The mutations come from the schema (a new field is fuzzed without a change here), from the
 * shipped experiments and the manifests they reference, and from byte-level garbage.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/cli.js';
import type { FuzzProfile } from '../../support/fuzz/case-arbitraries.js';
import { loadFuzzInputs } from '../../support/fuzz/fuzz-inputs.js';
import { runFuzzProperty } from '../../support/fuzz/fuzz-property.js';
import { FUZZ_BOUNDS, fuzzSettings, splitRuns } from '../../support/fuzz/fuzz-settings.js';
import { ProcessWatch } from '../../support/fuzz/process-watch.js';
import { formatTally, mergeTallies, newTally, type FuzzTally } from '../../support/fuzz/tally.js';
import type { CaseRunner } from '../../support/fuzz/check-case.js';

const settings = fuzzSettings(process.env);
const replayPath = process.env['MESH_EXP_FUZZ_PATH'] || undefined;
// Schema-aware mutations are where the input handling is richest: they get most of the runs.
const PROFILES: FuzzProfile[] = ['structure', 'manifests', 'bytes', 'gameday'];
const runs = splitRuns(settings.runs, [6, 2, 2, 1]);
const tallies: Record<FuzzProfile, FuzzTally> = { structure: newTally(), manifests: newTally(), bytes: newTally(), gameday: newTally() };
const watch = new ProcessWatch();
let root = '';
let started = 0;
let runner: Omit<CaseRunner, 'tally'>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-fuzz-'));
  const trace = process.env['MESH_EXP_FUZZ_TRACE'];
  runner = { inputs: await loadFuzzInputs(REPO_ROOT), root, watch, ...(trace ? { trace } : {}) };
  watch.start();
  started = performance.now();
  console.log(`fuzz: seed ${settings.seed} (from ${settings.seedFrom}), ${settings.runs} files (${PROFILES.map((p, i) => `${p} ${runs[i]}`).join(', ')})${replayPath ? `, replaying path ${replayPath}` : ''}`);
});

afterAll(async () => {
  watch.stop();
  await rm(root, { recursive: true, force: true });
  const wall = ((performance.now() - started) / 1000).toFixed(0);
  console.log(formatTally('fuzz', mergeTallies(Object.values(tallies)), settings.seed, `, ${wall} s`));
});

describe('fuzz: generated experiment files through validate and run', () => {
  PROFILES.forEach((profile, i) => {
    it(`${profile}: ${runs[i]} files, each within its bounds`, async () => {
      const tally = tallies[profile];
      const failure = await runFuzzProperty({ profile, seed: settings.seed, numRuns: runs[i]!, ...(replayPath ? { path: replayPath } : {}) }, { ...runner, tally });
      console.log(formatTally(`fuzz ${profile}`, tally, settings.seed));
      // The report is long (files, outputs, fast-check's counterexample): printed once, here.
      if (failure) console.error(failure);
      expect(failure === undefined, `fuzz ${profile} failed with seed ${settings.seed}: see the report above`).toBe(true);
    }, 15 * 60_000);
  });

  // Sampling can miss a peak inside one synchronous stretch; the kernel's maximum resident set cannot.
  it('kept the worker\'s peak resident set under its bound, all cases together', () => {
    const maxRss = process.resourceUsage().maxRSS * 1024;
    console.log(`fuzz: worker peak RSS ${Math.round(maxRss / 2 ** 20)} MB (bound ${FUZZ_BOUNDS.rssBytes / 2 ** 20} MB)`);
    expect(maxRss).toBeLessThan(FUZZ_BOUNDS.rssBytes);
    expect(settings.runs).toBeGreaterThanOrEqual(process.env['MESH_EXP_FUZZ_RUNS'] ? 1 : 1000);
  });
});
