import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import type { Experiment } from '../experiment/schema.js';
import { decisionEvent, experimentStartEvent, gameDayDecisionEvent, gameDayStartEvent, gameDayVerdictEvent, verdictEvent } from './events.js';
import { buildNotificationJsonSchema, notificationPayloadSchema } from './payload-schema.js';

const result = loadRunResult();
const experiment = result.experiment as Experiment;
const T = Date.parse('2026-12-07T12:00:00Z');
// Checked by ajv against the published schema, independently of the zod schema it came from.
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(buildNotificationJsonSchema());

describe('notification events', () => {
  const events = [
    experimentStartEvent(experiment, 3, T),
    ...result.steps.map((s) => decisionEvent(result.name, s, 3, T)),
    verdictEvent(result, T, 'reports/x/report.html'),
    gameDayStartEvent({ name: 'friday', experiments: 4, time: T }),
    gameDayDecisionEvent({ name: 'friday', experiments: 4, entry: { index: 0, name: 'canary', source: 'canary.yaml', continueOnFailure: false, status: 'passed', outcome: 'promoted', exitCode: 0, restored: true, summary: 'promoted' }, report: 'r/01-canary/report.html', next: 'continue', time: T }),
    gameDayDecisionEvent({ name: 'friday', experiments: 4, entry: { index: 1, name: 'fault', source: 'inline', continueOnFailure: false, status: 'error', summary: 'could not start' }, next: 'stop', time: T }),
    gameDayVerdictEvent({ name: 'friday', outcome: 'failed', summary: '1 of 4 experiments rolled back', exitCode: 1, restored: true, time: T }),
  ];

  it('each follows the published schema (ajv) and the zod schema', () => {
    for (const e of events) {
      expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      expect(notificationPayloadSchema.safeParse(e).success).toBe(true);
    }
  });

  it('says whose event it is (kind) and carries the step\'s key figures', () => {
    expect(events.map((e) => `${e.kind}:${e.event}`)).toEqual(['experiment:start', ...result.steps.map(() => 'experiment:decision'), 'experiment:verdict', 'game-day:start', 'game-day:decision', 'game-day:decision', 'game-day:verdict']);
    const last = result.steps.at(-1)!;
    const decision = decisionEvent(result.name, last, 3, T);
    expect(decision).toMatchObject({ step: last.index + 1, steps: 3, decision: last.decision, label: last.label, failedChecksTotal: last.failedChecksTotal, time: '2026-12-07T12:00:00.000Z' });
    const all = last.stats.find((s) => s.version === 'all')!;
    expect(decision.figures.find((f) => f.version === 'all')).toEqual({ version: 'all', count: all.count, errorRate: all.errorRate, p99Ms: all.latency.p99 });
    expect(decision.checks.map((c) => c.verdict)).toEqual(last.checks.map((c) => c.verdict));
  });

  it('the verdict has the outcome, summary and report path; the start has the target', () => {
    expect(verdictEvent(result, T, 'r/report.html')).toMatchObject({ outcome: result.outcome, summary: result.summary, exitCode: result.exitCode, restored: result.restored, report: 'r/report.html' });
    expect(experimentStartEvent(experiment, 3, T).target).toEqual({ provider: experiment.spec.target.provider, namespace: experiment.spec.target.namespace, host: experiment.spec.target.host, stable: experiment.spec.target.stable, canary: experiment.spec.target.canary });
  });

  it('a game day\'s decision is an experiment\'s end: its place, status, outcome, report and what the day does next', () => {
    const [, passed, error] = events.filter((e) => e.kind === 'game-day');
    expect(passed).toMatchObject({ event: 'decision', experiment: 1, experiments: 4, experimentName: 'canary', status: 'passed', outcome: 'promoted', report: 'r/01-canary/report.html', next: 'continue' });
    expect(error).toMatchObject({ experiment: 2, status: 'error', next: 'stop' });
    expect(error).not.toHaveProperty('outcome');
    expect(error).not.toHaveProperty('report');
  });

  it('the schema refuses what is not a notification (it can fail)', () => {
    expect(validate({ ...verdictEvent(result, T), kind: 'nightly' })).toBe(false);
    expect(validate({ ...decisionEvent(result.name, result.steps[0]!, 3, T), step: 0 })).toBe(false);
    expect(validate({ event: 'start' })).toBe(false);
    // An experiment's decision under the game day's kind, and a game day's without its next move.
    expect(validate({ ...decisionEvent(result.name, result.steps[0]!, 3, T), kind: 'game-day' })).toBe(false);
    const { next: _next, ...noNext } = gameDayDecisionEvent({ name: 'd', experiments: 1, entry: { index: 0, name: 'x', source: 'inline', continueOnFailure: false, status: 'passed', summary: 's' }, next: 'stop', time: T });
    expect(validate(noNext)).toBe(false);
  });
});
