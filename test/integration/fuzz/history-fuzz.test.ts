/**
 * A fuzzed index.jsonl must never crash `mesh-exp history` or `mesh-exp report --trend`: seeded
 * cases (test/support/fuzz/history-case.ts) of valid, schema-mutated, junk and byte-damaged lines
 * and fuzzed --since / --experiment values, each command in-process. Same knobs as the
 * experiment fuzz: MESH_EXP_FUZZ_SEED, MESH_EXP_FUZZ_RUNS (here a fifth of it, the commands are
 * cheaper to cover), MESH_EXP_FUZZ_PATH to replay a counterexample.
 */
import { describeCommandFuzz } from '../../support/fuzz/command-fuzz.js';
import { historyCaseArbitrary, runHistoryCase } from '../../support/fuzz/history-case.js';

describeCommandFuzz({
  title: 'fuzz: index.jsonl and flags through history and report --trend',
  checks: 'documented exit codes, no stack trace, every line listed or warned about',
  label: 'history fuzz',
  arbitrary: historyCaseArbitrary,
  run: runHistoryCase,
});
