// Prints the closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON report,
// honestly: a test file that failed outside its tests (it did not load, or a beforeAll/afterAll
// hook threw, which vitest reports as skipped tests) counts as failed and is named, e.g.
//   812 passed, 3 failed, 0 skipped (2 suites failed to load: test/a.test.ts, test/b.test.ts)
// Exit status 1 when anything failed, or when the report is missing or unreadable.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads vitest's JSON report object.
 * @returns {{ lines: string[], ok: boolean }} the lines to print (the closing line last) and whether all passed
 */
export function summarize(report, root = process.cwd()) {
  const rel = (f) => path.relative(root, f) || f;
  const brokenSuites = [];
  for (const file of report.testResults ?? []) {
    if (file.status !== 'failed') continue;
    const tests = file.assertionResults ?? [];
    // A failed test already says why the file failed; a failed file without one failed elsewhere.
    if (tests.some((t) => t.status === 'failed')) continue;
    const where = tests.length === 0 ? 'failed to load' : 'failed in a hook';
    const why = (file.message || 'a beforeAll/afterAll hook failed; its tests were reported as skipped').split('\n')[0];
    brokenSuites.push({ name: rel(file.name), where, why });
  }
  const passed = report.numPassedTests ?? 0;
  const failed = (report.numFailedTests ?? 0) + brokenSuites.length;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const lines = brokenSuites.map((s) => `FAILED SUITE ${s.name} (${s.where}): ${s.why}`);
  const groups = ['failed to load', 'failed in a hook']
    .map((where) => brokenSuites.filter((s) => s.where === where))
    .filter((g) => g.length > 0)
    .map((g) => `${g.length} ${g.length === 1 ? 'suite' : 'suites'} ${g[0].where}: ${g.map((s) => s.name).join(', ')}`);
  lines.push(`${passed} passed, ${failed} failed, ${skipped} skipped${groups.length ? ` (${groups.join('; ')})` : ''}`);
  return { lines, ok: failed === 0 && report.success !== false };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.log(`0 passed, 1 failed, 0 skipped (no readable vitest report at ${file}: ${err.message})`);
    process.exit(1);
  }
  const { lines, ok } = summarize(report);
  for (const line of lines) console.log(line);
  process.exit(ok ? 0 : 1);
}
