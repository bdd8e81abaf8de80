/**
 * Loads the realistic RunResult fixtures (a Bookinfo reviews canary rolled back at step 2, and
 * one judged by sequential tests) for report tests; each call returns a fresh copy the test may change.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../../src/model/result.js';

/** Path of test/fixtures/report/run-result.json. */
export const RUN_RESULT_FIXTURE = fileURLToPath(new URL('../../fixtures/report/run-result.json', import.meta.url));

/** A fresh copy of the fixture. */
export function loadRunResult(): RunResult {
  return JSON.parse(readFileSync(RUN_RESULT_FIXTURE, 'utf8')) as RunResult;
}

/**
 * Path of test/fixtures/report-sequential/result.json: a canary judged by three sequential tests a
 * step (an absolute error-rate SLO; error rate and latency against the stable; e-values and
 * confidence sequences computed by src/analysis/sequential from seeded seconds), whose step 2
 * ends early at 14 s on a certain error-rate regression against the stable.
 */
export const SEQUENTIAL_RESULT_FIXTURE = fileURLToPath(new URL('../../fixtures/report-sequential/result.json', import.meta.url));

/** A fresh copy of the sequential fixture. */
export function loadSequentialRunResult(): RunResult {
  return JSON.parse(readFileSync(SEQUENTIAL_RESULT_FIXTURE, 'utf8')) as RunResult;
}

/** The payload used to probe escaping. */
export const XSS = '<img src=x onerror=alert(1)>';

/** The fixture with the XSS payload in every user-controlled string the reports show. */
export function loadHostileRunResult(): RunResult {
  const r = loadRunResult();
  r.name = XSS;
  r.summary = `Rolled back: ${XSS}`;
  r.error = `"><script>alert(2)</script>`;
  r.environment = { [XSS]: XSS };
  r.events = [{ time: r.startedAt + 10, message: XSS }];
  (r.experiment as { metadata: { name: string; description: string } }).metadata.description = XSS;
  for (const s of r.steps) {
    s.label = XSS;
    for (const v of s.stats) v.version = XSS;
    for (const p of s.timeline) if (p.version !== 'all') p.version = XSS;
    for (const c of s.checks) {
      c.name = XSS;
      c.subject = XSS;
      c.message = XSS;
    }
  }
  return r;
}
