/**
 * The closing line of `npm test` (scripts/summarize-vitest.mjs): a file that fails outside its
 * tests is counted and named, never hidden behind "0 failed".
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { summarize } from '../../../scripts/summarize-vitest.mjs';

type Summary = { lines: string[]; ok: boolean };
const run = (report: object): Summary => summarize(report, '/repo') as Summary;
const file = (name: string, status: string, tests: string[], message = '') => ({
  name: `/repo/${name}`,
  status,
  message,
  assertionResults: tests.map((s, i) => ({ title: `t${i}`, status: s })),
});

describe('summarize-vitest', () => {
  it('prints the plain closing line when everything passed', () => {
    const r = run({ numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, success: true, testResults: [file('a.test.ts', 'passed', ['passed', 'passed', 'passed'])] });
    expect(r).toEqual({ lines: ['3 passed, 0 failed, 0 skipped'], ok: true });
  });

  it('counts and names a suite that failed to load and one whose hook failed (its tests reported as skipped)', () => {
    const r = run({
      numPassedTests: 5,
      numFailedTests: 1,
      numPendingTests: 2,
      numTodoTests: 0,
      success: false,
      testResults: [
        file('ok.test.ts', 'passed', ['passed', 'passed', 'passed', 'passed']),
        file('load.test.ts', 'failed', [], "Cannot find module './missing/x.yaml'\n    at import"),
        file('hook.test.ts', 'failed', ['skipped', 'skipped', 'passed']),
        file('plain.test.ts', 'failed', ['failed']),
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.lines).toEqual([
      "FAILED SUITE load.test.ts (failed to load): Cannot find module './missing/x.yaml'",
      'FAILED SUITE hook.test.ts (failed in a hook): a beforeAll/afterAll hook failed; its tests were reported as skipped',
      '5 passed, 3 failed, 2 skipped (1 suite failed to load: load.test.ts; 1 suite failed in a hook: hook.test.ts)',
    ]);
  });

  it('is not ok when vitest says it failed although no test or suite did (e.g. an unhandled error)', () => {
    expect(run({ numPassedTests: 1, numFailedTests: 0, success: false, testResults: [] }).ok).toBe(false);
  });
});
