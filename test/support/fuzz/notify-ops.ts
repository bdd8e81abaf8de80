/**
 * Cases aimed at `spec.notify` (issue 20 part 4): mostly targets whose secret the case's
 * environment holds ({@link FUZZ_HOOK_ENV}, a URL on a closed port, so every send is refused and
 * retried while the run goes on and is interrupted), so the notifier's retries, cancellation and
 * grace time run in every such case; and near misses the validation must refuse, located.
 */
import fc from 'fast-check';
import type { DataOp } from './mutate-data.js';

/** The environment variable the fuzz cases' validate and run get, holding {@link FUZZ_HOOK_URL}. */
export const FUZZ_HOOK_ENV = 'MESH_EXP_FUZZ_HOOK';
/** Port 2 on loopback: closed here, so a send fails at once with a connection error (retried). */
export const FUZZ_HOOK_URL = 'http://127.0.0.1:2/services/fuzz/s3cr3t';

const valid = fc.record({
  type: fc.constantFrom('slack', 'webhook'),
  urlFrom: fc.constant({ env: FUZZ_HOOK_ENV }),
  on: fc.option(fc.subarray(['start', 'decision', 'verdict'], { minLength: 1 }), { nil: undefined }),
  timeout: fc.option(fc.constantFrom('1ms', '100ms', '5s', '1h'), { nil: undefined }),
  retries: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
});

/** What each field gets refused for (or accepted at its edge). */
const nearMiss = fc.oneof(
  fc.record({ type: fc.constantFrom('teams', 'Slack', ''), urlFrom: fc.constant({ env: FUZZ_HOOK_ENV }) }),
  fc.record({ type: fc.constant('slack'), urlFrom: fc.constantFrom({ env: 'MESH_EXP_FUZZ_UNSET' }, { env: '1BAD' }, { env: 'A-B' }, { env: '' }, { file: 'no-such-hook.txt' }, { file: '.' }, { file: '/dev/zero' }, { env: FUZZ_HOOK_ENV, file: 'x' }, {}, 'https://hooks.example.com/x') }),
  fc.record({ type: fc.constant('webhook'), urlFrom: fc.constant({ env: FUZZ_HOOK_ENV }), on: fc.constantFrom([], ['end'], 'start', [null]) }),
  fc.record({ type: fc.constant('webhook'), urlFrom: fc.constant({ env: FUZZ_HOOK_ENV }), timeout: fc.constantFrom('0ms', '2h', 5, '5') }),
  fc.record({ type: fc.constant('webhook'), urlFrom: fc.constant({ env: FUZZ_HOOK_ENV }), retries: fc.constantFrom(-1, 11, 2.5, '3') }),
);

/** Ops that set `spec.notify`: one to nine targets (eight is the most), mostly valid ones. */
export const notifyOps: fc.Arbitrary<DataOp[]> = fc
  .array(fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: nearMiss, weight: 1 }), { minLength: 1, maxLength: 9 })
  .map((targets) => [{ op: 'set' as const, path: ['spec', 'notify'], index: 0, value: targets.map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined))) }]);
