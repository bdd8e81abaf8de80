/**
 * junit.xml: one <testcase> per SLO check per step, so CI systems (GitHub, GitLab, Jenkins) show a
 * failed SLO as a failed test without a plug-in.
 *
 * - classname `<experiment>/step <n> (<label>)`, name = the check's name, time = the step's window;
 * - a failed check has `<failure message="…">` with value, threshold, samples and interval;
 * - a check without data has `<skipped message="no data: …">`: "no data" is not a pass, and
 *   skipped is how CI shows "inconclusive" (when analysis.noDataFails counts it, the rollback
 *   itself still shows as the failure of the run);
 * - a run that ended in an error, an interruption or a failed restore adds a testcase `run` with
 *   `<error>`, so it cannot look green;
 * - `<properties>` hold outcome, summary, exit code, restored and the environment (and `partial`,
 *   with its reason, for a report `mesh-exp recover` wrote from the steps of a killed run), and one
 *   line per sequential test (`sequential.step <n>.<name>`: decision, crossing time and samples,
 *   e-value against 1/α), which also closes the text of the check of the same name.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { CheckResult, RunResult, StepResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { checkValueCell, intervalCell, thresholdCell } from './present.js';
import { endedEarlyLabel, sequentialSentence, sequentialTitle } from './sequential-text.js';
import { createFileReporter } from './file-reporter.js';
import type { Reporter } from './types.js';

/** File name the JUnit reporter writes. */
export const JUNIT_REPORT_FILE = 'junit.xml';

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** The failure/skip text: every figure the check was judged on. */
function details(step: StepResult, c: CheckResult): string {
  const interval = intervalCell(c);
  const early = endedEarlyLabel(step);
  const sequential = (step.sequential ?? []).filter((t) => t.name === c.name);
  return [
    c.message,
    `value: ${checkValueCell(c)}`,
    `threshold: ${thresholdCell(c)}`,
    `samples: ${c.samples}`,
    ...(interval ? [`interval: ${interval}`] : []),
    ...sequential.map((t) => `sequential test: ${sequentialSentence(t)}`),
    `step ${step.index + 1} (${step.label}), ${seconds(step.endedAt - step.startedAt)} s, decision: ${step.decision}${early ? ` (${early})` : ''}`,
  ].join('\n');
}

function addCheck(suite: XMLBuilder, result: RunResult, step: StepResult, c: CheckResult): void {
  const tc = suite.ele('testcase', { classname: `${result.name}/step ${step.index + 1} (${step.label})`, name: c.name, time: seconds(step.endedAt - step.startedAt) });
  if (c.verdict === 'fail') {
    tc.ele('failure', { message: c.message, type: `slo-${c.kind}` }).txt(details(step, c));
    return;
  }
  if (c.verdict === 'no-data') tc.ele('skipped', { message: `no data: ${c.message}` });
  // Passes and skips carry their figures too, for whoever opens the test in CI.
  tc.ele('system-out').txt(details(step, c));
}

/** Whether the run itself failed beyond its checks (error, signal, or the mesh left changed). */
function runFailed(result: RunResult): boolean {
  return result.outcome === 'error' || result.outcome === 'interrupted' || !result.restored;
}

/** The counts a <testsuite> (and <testsuites>) carries for one run. */
export function runCounts(result: RunResult) {
  const checks = result.steps.flatMap((s) => s.checks);
  return {
    tests: String(checks.length + (runFailed(result) ? 1 : 0)),
    failures: String(checks.filter((c) => c.verdict === 'fail').length),
    errors: String(runFailed(result) ? 1 : 0),
    skipped: String(checks.filter((c) => c.verdict === 'no-data').length),
    time: seconds(result.endedAt - result.startedAt),
  };
}

/** Adds one run's <testsuite> under `parent` (a <testsuites>): a game day's junit.xml holds one per experiment. */
export function addRunSuite(parent: XMLBuilder, result: RunResult): void {
  const counts = runCounts(result);
  const suite = parent.ele('testsuite', { name: result.name, ...counts, timestamp: new Date(result.startedAt).toISOString().replace(/\.\d+Z$/, '') });
  const props = suite.ele('properties');
  const property = (name: string, value: string) => void props.ele('property', { name, value });
  property('outcome', result.outcome);
  property('summary', result.summary);
  property('exitCode', String(result.exitCode));
  property('restored', String(result.restored));
  if (result.partial) property('partial', result.partialReason ?? 'true');
  property('mesh-exp', VERSION);
  for (const [k, v] of Object.entries(result.environment)) property(`environment.${k}`, v);
  for (const step of result.steps) for (const t of step.sequential ?? []) property(`sequential.step ${step.index + 1}.${t.name}`, `${sequentialTitle(t)}: ${sequentialSentence(t)}`);
  for (const step of result.steps) for (const c of step.checks) addCheck(suite, result, step, c);
  if (runFailed(result)) {
    const type = result.restored ? result.outcome : 'restore-failed';
    suite.ele('testcase', { classname: result.name, name: 'run', time: counts.time }).ele('error', { message: result.summary, type }).txt(result.error ?? result.summary);
  }
}

/** Renders junit.xml. Pure (no host name: the file is often published as a CI artifact). */
export function renderJunitReport(result: RunResult): string {
  // XML 1.0 cannot carry most control characters even as references; a user string may hold one.
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  addRunSuite(doc.ele('testsuites', { name: 'mesh-exp', ...runCounts(result) }), result);
  return `${doc.end({ prettyPrint: true })}\n`;
}

/** Creates the "junit" reporter. */
export function createJunitReporter(): Reporter {
  return createFileReporter('junit', JUNIT_REPORT_FILE, (result) => renderJunitReport(result));
}
