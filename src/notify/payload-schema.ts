/**
 * The body of a generic webhook notification (type "webhook"): one JSON object per event, the
 * same facts a Slack message shows. `npm run schema` publishes it as
 * schema/notification.schema.json; a test checks that file is current. Receivers should accept
 * fields they do not know: new ones may be added within schemaVersion 1.
 */
import { z } from 'zod';
import { schemaFileText, toPublishedJsonSchema } from '../experiment/json-schema.js';
import { gameDayStatusSchema } from '../model/gameday-result-schema.js';

/** `$id` of the published schema. */
export const NOTIFICATION_SCHEMA_ID = 'https://mesh-exp.dev/schema/notification.schema.json';

/** Path of the committed schema file, relative to the repository root. */
export const NOTIFICATION_SCHEMA_PATH = 'schema/notification.schema.json';

const common = {
  schemaVersion: z.literal(1).describe('Format version of this payload; a receiver should refuse versions it does not know.'),
  kind: z.enum(['experiment', 'game-day']).describe('Whose event this is: one experiment run, or a whole game day (several experiments).'),
  name: z.string().describe('Name of the experiment (metadata.name) or of the game day.'),
  time: z.string().describe('When the event happened, ISO 8601 UTC, e.g. "2026-12-07T13:05:00.000Z".'),
  text: z.string().describe('The event in one line of plain words (what a chat message would say).'),
};

const targetFacts = z
  .strictObject({
    provider: z.string().describe('Traffic provider, e.g. "local", "istio".'),
    namespace: z.string().describe('Namespace of the target object.'),
    host: z.string().describe('Destination host whose traffic is changed.'),
    stable: z.string().describe('Stable version.'),
    canary: z.string().describe('Canary version.'),
  })
  .describe('What the experiment acts on (kind "experiment" only). @default absent');

/** Sent when the run has journaled its snapshot (it is about to change the mesh), or a game day starts. */
export const startPayloadSchema = z
  .strictObject({
    ...common,
    event: z.literal('start').describe('The run (or game day) started.'),
    description: z.string().optional().describe('The experiment\'s metadata.description, or the game day\'s. @default absent'),
    planned: z.number().int().min(0).describe('Steps planned (kind "experiment") or experiments planned (kind "game-day").'),
    target: targetFacts.optional(),
  })
  .describe('A run or game day started.');

const versionFigures = z
  .strictObject({
    version: z.string().describe('Version that served the requests, "unknown", "mesh:fault-abort", or "all".'),
    count: z.number().int().min(0).describe('Requests counted over the step.'),
    errorRate: z.number().nullable().describe('Errors / count, a fraction 0–1; null when count is 0.'),
    p99Ms: z.number().nullable().describe('99th percentile latency, ms; null when there were no responses.'),
  })
  .describe('One version\'s key figures over the step.');

const checkFigures = z
  .strictObject({
    name: z.string().describe('SLO name.'),
    verdict: z.enum(['pass', 'fail', 'no-data']).describe('The check\'s verdict.'),
    message: z.string().describe('The verdict in plain words.'),
  })
  .describe('One SLO judged at the end of the step.');

/** Sent after each step is judged, before its decision is acted on. */
export const decisionPayloadSchema = z
  .strictObject({
    ...common,
    kind: z.literal('experiment').describe('Decisions belong to experiment runs.'),
    event: z.literal('decision').describe('A step was judged.'),
    step: z.number().int().min(1).describe('1-based step number.'),
    steps: z.number().int().min(1).describe('Steps planned.'),
    label: z.string().describe('The step, e.g. "canary 25%".'),
    canaryWeight: z.number().nullable().describe('Canary weight in effect, percent; null when the experiment does not shift.'),
    decision: z.enum(['continue', 'promote', 'rollback', 'complete']).describe('What happens next: the next step, the promotion, a rollback, or the end without promotion.'),
    failedChecksTotal: z.number().int().min(0).describe('Failed checks so far in the run.'),
    figures: z.array(versionFigures).describe('Key figures per version, then "all".'),
    checks: z.array(checkFigures).describe('Every check of the step.'),
  })
  .describe('A step was judged and decided.');

/** Sent by a game day after each of its experiments ended: that experiment's verdict is a decision of the day. */
export const gameDayDecisionPayloadSchema = z
  .strictObject({
    ...common,
    kind: z.literal('game-day').describe('The decisions of a game day: one per experiment that ran.'),
    event: z.literal('decision').describe('An experiment of the day ended.'),
    experiment: z.number().int().min(1).describe('1-based place of the experiment in the day.'),
    experiments: z.number().int().min(1).describe('Experiments planned for the day.'),
    experimentName: z.string().describe('The experiment\'s metadata.name.'),
    status: gameDayStatusSchema,
    outcome: z.enum(['promoted', 'passed', 'rolled-back', 'error', 'interrupted']).optional().describe('The run\'s own outcome, when it wrote a result. @default absent'),
    summary: z.string().describe('One sentence: how the experiment ended.'),
    exitCode: z.number().int().optional().describe('The run\'s exit code, when it started. @default absent'),
    restored: z.boolean().optional().describe('Whether the run left the mesh as intended (restored, or promoted), when it started. @default absent'),
    report: z.string().optional().describe('The experiment\'s report.html, relative to the directory mesh-exp ran in. @default absent (no report written)'),
    next: z.enum(['continue', 'stop']).describe('What the day does next: "continue" with the next experiment, or "stop" (this was the last, it did not pass and its entry does not say continueOnFailure, or a signal stopped the day; the rest are skipped).'),
  })
  .describe('An experiment of a game day ended.');

/** Sent when the run (or game day) is over and its reports are written. */
export const verdictPayloadSchema = z
  .strictObject({
    ...common,
    event: z.literal('verdict').describe('The run (or game day) ended.'),
    outcome: z.string().describe('How it ended: for an experiment "promoted", "passed", "rolled-back", "error" or "interrupted".'),
    summary: z.string().describe('One sentence: the verdict and why.'),
    exitCode: z.number().int().describe('The exit code mesh-exp ends with (README, Exit codes).'),
    restored: z.boolean().describe('Whether the mesh ended as intended (restored, or promoted).'),
    report: z.string().optional().describe('The report (report.html, else the run directory), relative to the directory mesh-exp ran in. @default absent (no report written)'),
  })
  .describe('A run or game day ended.');

/** Every payload a generic webhook receives, told apart by `event`. */
export const notificationPayloadSchema = z
  .discriminatedUnion('event', [startPayloadSchema, z.discriminatedUnion('kind', [decisionPayloadSchema, gameDayDecisionPayloadSchema]), verdictPayloadSchema])
  .describe('A mesh-exp notification (type "webhook"): POSTed as JSON, one per event.');

/** One notification. */
export type NotificationEvent = z.output<typeof notificationPayloadSchema>;
/** A start notification. */
export type StartEvent = z.output<typeof startPayloadSchema>;
/** A decision notification of an experiment run (a judged step). */
export type DecisionEvent = z.output<typeof decisionPayloadSchema>;
/** A decision notification of a game day (an experiment ended). */
export type GameDayDecisionEvent = z.output<typeof gameDayDecisionPayloadSchema>;
/** A verdict notification. */
export type VerdictEvent = z.output<typeof verdictPayloadSchema>;

/** The published JSON Schema (draft 2020-12) of the payload. */
export function buildNotificationJsonSchema(): Record<string, unknown> {
  return toPublishedJsonSchema(notificationPayloadSchema, { id: NOTIFICATION_SCHEMA_ID, title: 'mesh-exp notification', io: 'output' });
}

/** The schema file's exact text. */
export function renderNotificationJsonSchema(): string {
  return schemaFileText(buildNotificationJsonSchema());
}
