/**
 * A fuzzed result.json with sequential traces must never crash `mesh-exp report`: seeded cases
 * (test/support/fuzz/result-case.ts) of the sequential fixture mutated through the schema's
 * `steps[].sequential` and `steps[].endedEarly` fields, long traces and damaged bytes, each
 * command in-process. Same knobs as the experiment fuzz: MESH_EXP_FUZZ_SEED, MESH_EXP_FUZZ_RUNS
 * (here a fifth of it), MESH_EXP_FUZZ_PATH to replay a counterexample.
 */
import { describeCommandFuzz } from '../../support/fuzz/command-fuzz.js';
import { resultCaseArbitrary, runResultCase } from '../../support/fuzz/result-case.js';

describeCommandFuzz({
  title: 'fuzz: result.json with sequential traces through mesh-exp report',
  checks: 'documented exit codes, no stack trace, chart data and summary lines for every test rendered',
  label: 'result.json fuzz',
  arbitrary: resultCaseArbitrary,
  run: runResultCase,
});
