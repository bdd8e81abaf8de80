import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import type { Experiment } from '../experiment/schema.js';
import { decisionEvent, experimentStartEvent, gameDayStartEvent, gameDayVerdictEvent, verdictEvent } from './events.js';
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
    gameDayVerdictEvent({ name: 'friday', outcome: 'failed', summary: '1 of 4 experiments rolled back', exitCode: 1, restored: true, time: T }),
  ];

  it('each follows the published schema (ajv) and the zod schema', () => {
    for (const e of events) {
      expect(validate(e), JSON.stringify(validate.errors)).toBe(true);
      expect(notificationPayloadSchema.safeParse(e).success).toBe(true);
    }
  });

  it('says whose event it is (kind) and carries the step\'s key figures', () => {
    expect(events.map((e) => `${e.kind}:${e.event}`)).toEqual(['experiment:start', ...result.steps.map(() => 'experiment:decision'), 'experiment:verdict', 'game-day:start', 'game-day:verdict']);
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

  it('the schema refuses what is not a notification (it can fail)', () => {
    expect(validate({ ...verdictEvent(result, T), kind: 'nightly' })).toBe(false);
    expect(validate({ ...decisionEvent(result.name, result.steps[0]!, 3, T), step: 0 })).toBe(false);
    expect(validate({ event: 'start' })).toBe(false);
  });
});
