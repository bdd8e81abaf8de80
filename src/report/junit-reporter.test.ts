import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadHostileRunResult, loadRunResult, loadSequentialRunResult, XSS } from '../../test/unit/report/fixture.js';
import type { RunResult } from '../model/result.js';
import { renderJunitReport } from './junit-reporter.js';

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Node[];

/** Parses junit.xml with an independent parser (not the builder that wrote it). */
function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, trimValues: false }).parse(xml) as Node;
  const suites = doc['testsuites'] as Node;
  const suite = suites['testsuite'] as Node;
  const props = Object.fromEntries(list((suite['properties'] as Node)['property']).map((p) => [p['name'], p['value']]));
  return { suites, suite, props, cases: list(suite['testcase']) };
}

describe('renderJunitReport', () => {
  const result = loadRunResult();
  const { suite, suites, props, cases } = parse(renderJunitReport(result));
  const checks = result.steps.flatMap((s) => s.checks.map((c) => ({ step: s, check: c })));

  it('has one testcase per SLO check per step, named after the check, classed by experiment/step', () => {
    expect(cases).toHaveLength(checks.length);
    expect(cases.map((c) => [c['classname'], c['name']])).toEqual(checks.map(({ step, check }) => [`${result.name}/step ${step.index + 1} (${step.label})`, check.name]));
    expect(cases[0]!['time']).toBe(((result.steps[0]!.endedAt - result.steps[0]!.startedAt) / 1000).toFixed(3));
  });

  it('marks failed checks as failures with value, threshold and samples, and counts them on the suites', () => {
    const failed = checks.filter(({ check }) => check.verdict === 'fail');
    const withFailure = cases.filter((c) => c['failure'] !== undefined);
    expect(withFailure.map((c) => c['name'])).toEqual(failed.map(({ check }) => check.name));
    const failure = withFailure[0]!['failure'] as Node;
    expect(failure['message']).toBe(failed[0]!.check.message);
    expect(failure['#text']).toContain('value: 412ms');
    expect(failure['#text']).toContain('threshold: ≤ 250ms');
    expect(failure['#text']).toContain('samples: 512');
    for (const node of [suite, suites]) {
      expect(node).toMatchObject({ tests: String(checks.length), failures: String(failed.length), errors: '0', skipped: '0' });
    }
  });

  it('carries outcome, summary and environment as properties', () => {
    expect(props['outcome']).toBe('rolled-back');
    expect(props['summary']).toBe(result.summary);
    expect(props['exitCode']).toBe('1');
    expect(props['environment.generator']).toBe('builtin');
    expect(suite['timestamp']).toBe('2025-05-14T09:30:00');
  });

  it('shows no data as skipped (inconclusive), not as a pass', () => {
    const r = loadRunResult();
    const c = r.steps[0]!.checks[0]!;
    Object.assign(c, { verdict: 'no-data', value: null, message: 'canary error rate: no data (3 < 50 requests)' });
    const { suite: s, cases: cs } = parse(renderJunitReport(r));
    expect(cs[0]!['skipped']).toEqual({ message: 'no data: canary error rate: no data (3 < 50 requests)' });
    expect(cs[0]!['failure']).toBeUndefined();
    expect(s['skipped']).toBe('1');
  });

  it('writes a confidence interval when the check has one', () => {
    const r = loadRunResult();
    r.steps[1]!.checks.find((c) => c.verdict === 'fail')!.interval = { low: 300, high: 520, confidence: 0.98 };
    expect(renderJunitReport(r)).toContain('interval: [300ms, 520ms] at 98%');
  });

  it('adds an erroring "run" testcase for an error, an interruption or a failed restore', () => {
    const cases = (r: RunResult) => parse(renderJunitReport(r));
    const errored = cases({ ...result, outcome: 'error', error: 'backend crashed', steps: [] });
    expect(errored.cases).toEqual([expect.objectContaining({ name: 'run', error: expect.objectContaining({ type: 'error', '#text': 'backend crashed' }) })]);
    expect(errored.suite).toMatchObject({ tests: '1', errors: '1' });
    const unrestored = cases({ ...result, restored: false });
    expect(unrestored.cases.at(-1)).toMatchObject({ name: 'run', error: { type: 'restore-failed' } });
    expect(cases({ ...result, outcome: 'interrupted' }).cases.at(-1)).toMatchObject({ name: 'run' });
  });

  it('keeps hostile strings as text and replaces characters XML cannot hold', () => {
    const r = loadHostileRunResult();
    r.steps[0]!.checks[0]!.name = `${XSS}\u0007"&'`;
    const xml = renderJunitReport(r);
    expect(xml).not.toContain('<img');
    const parsed = parse(xml);
    expect(parsed.suite['name']).toBe('&lt;img src=x onerror=alert(1)&gt;'.replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
    expect(parsed.cases[0]!['name']).toBe(`${XSS}\uFFFD"&'`);
  });

  it('one line per sequential test: a property each, and the line in the text of the check it belongs to', () => {
    const r = loadSequentialRunResult();
    const seq = parse(renderJunitReport(r));
    expect(Object.entries(seq.props).filter(([k]) => String(k).startsWith('sequential.'))).toEqual([
      ['sequential.step 1.canary-error-rate', "canary-error-rate (error-rate, α = 0.01): no certain conclusion by the step's end (e-value 0.21 < 100)"],
      ['sequential.step 1.error-rate-vs-stable', "error-rate-vs-stable (relative-error-rate, α = 0.01): no certain conclusion by the step's end (e-value 0.339 < 100)"],
      ['sequential.step 1.latency-vs-stable', "latency-vs-stable (relative-latency, α = 0.01): no certain conclusion by the step's end (e-value 9 < 100)"],
      ['sequential.step 2.canary-error-rate', "canary-error-rate (error-rate, α = 0.01): no certain conclusion by the step's end (e-value 49.9 < 100)"],
      ['sequential.step 2.error-rate-vs-stable', 'error-rate-vs-stable (relative-error-rate, α = 0.01): certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)'],
      ['sequential.step 2.latency-vs-stable', "latency-vs-stable (relative-latency, α = 0.01): no certain conclusion by the step's end (e-value 10.3 < 100)"],
    ]);
    const failed = seq.cases.find((c) => c['name'] === 'error-rate-vs-stable' && c['failure'])!;
    const text = (failed['failure'] as Node)['#text'] as string;
    expect(text).toContain('\nsequential test: certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)\n');
    expect(text).toContain('decision: rollback (ended early: certain regression)');
    // A run without sequential tests has neither.
    expect(Object.keys(props).some((k) => k.startsWith('sequential.'))).toBe(false);
    expect(renderJunitReport(result)).not.toContain('sequential test:');
  });
});
