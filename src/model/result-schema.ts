/**
 * result.json in zod: the one description of a run's result. The TypeScript types of
 * `result.ts` are derived from it, the published JSON Schema (schema/result.schema.json,
 * `npm run schema`, src/report/result-schema.ts) is generated from it, and `mesh-exp report`
 * checks a saved run against it.
 */
import { z } from 'zod';
import { EXIT_CODE_TABLE } from '../errors.js';
import { sequentialTraceSchema } from './sequential-trace-schema.js';

const epochMs = (what: string) => z.number().describe(`${what}, epoch milliseconds (UTC).`);
const ms = (what: string) => z.number().nullable().describe(`${what}, milliseconds; null when no latency was recorded.`);

/** One version's latency and error statistics over a step (`steps[].stats[]`). */
export const versionStatsSchema = z
  .strictObject({
    version: z.string().describe('Version (subset) that served the requests; "mesh:fault-abort" for requests the mesh\'s fault injection aborted (Envoy\'s "fault filter abort": no backend answered), "unknown" when no version header came back otherwise, or "all".'),
    count: z.number().int().min(0).describe('Requests counted (responses + failures).'),
    errors: z.number().int().min(0).describe('Requests that failed (status >= 500, or no response).'),
    errorRate: z.number().nullable().describe('errors / count, a fraction 0–1; null when count is 0.'),
    latency: z
      .strictObject({ p50: ms('Median'), p90: ms('90th percentile'), p95: ms('95th percentile'), p99: ms('99th percentile'), 'p99.9': ms('99.9th percentile'), max: ms('Slowest'), mean: ms('Mean') })
      .describe('Latency percentiles over the window, measured from the intended send time.'),
    rps: z.number().describe('Achieved requests per second over the window.'),
  })
  .describe('Latency and error statistics of one version over one step.');

/** One named request's figures over a step (`steps[].requests[]`). */
export const requestStatsSchema = z
  .strictObject({
    name: z.string().describe('Request name (load.requests[].name; "default" for the load\'s own request).'),
    stats: z.array(versionStatsSchema).describe('Statistics of this request per version, then "unknown", then "all" (as steps[].stats).'),
  })
  .describe('One named request\'s latency and error figures over a step, per version.');

/** One version's figures in one window of a step (`steps[].timeline[]`). */
export const timelinePointSchema = z
  .strictObject({
    time: epochMs("Start of the point's window: one second, or steps[].timelineSeconds for a long run (aligned to its width)"),
    version: z.string().describe('Version that served the requests, "mesh:fault-abort", "unknown", or "all" (every version of the window).'),
    count: z.number().int().min(0).describe('Requests counted in the window (responses + failures + drops).'),
    errors: z.number().int().min(0).describe('Requests that failed in the window.'),
    p50: ms('Median latency in the window'),
    p95: ms('95th percentile latency in the window'),
    p99: ms('99th percentile latency in the window'),
  })
  .describe("One version's figures in one window of a step (what the report charts draw); a window wider than a second merges the seconds' latencies, so its percentiles are exact for the whole window.");

/** The confidence interval of a check's value (`steps[].checks[].interval`). */
export const checkIntervalSchema = z
  .strictObject({
    low: z.number().describe('Lower bound, in the unit of the check value.'),
    high: z.number().describe('Upper bound, in the unit of the check value.'),
    confidence: z.number().min(0).max(1).describe('Confidence level, e.g. 0.98.'),
  })
  .describe('Confidence interval of the value (relative SLOs: of the canary − stable shift or difference).');

/** One SLO judged over one step (`steps[].checks[]`). */
export const checkResultSchema = z
  .strictObject({
    name: z.string().describe('SLO name: from the spec, or derived, e.g. "canary-latency-p99".'),
    kind: z.string().describe('SLO kind, e.g. "latency", "error-rate", "prometheus", "response-flag".'),
    subject: z.string().describe('Whose responses were judged: "canary", "stable", "all", or a version.'),
    value: z.number().nullable().describe('Measured value (ms for latency, a fraction for error rate); null when there was no data.'),
    threshold: z.number().describe('The limit the value was judged against, same unit as value.'),
    comparator: z.enum(['max', 'min']).describe('"max": the value must be <= threshold; "min": >= threshold.'),
    samples: z.number().int().min(0).describe('Samples (requests) the value is based on.'),
    verdict: z.enum(['pass', 'fail', 'no-data']).describe('"no-data" (too few samples, or no value) is its own verdict, never a pass.'),
    message: z.string().describe('The verdict in one line of plain words.'),
    interval: checkIntervalSchema.optional(),
    critical: z.boolean().optional().describe('A failed critical check rolled back at once, whatever analysis.threshold says (relative SLOs beyond criticalIncrease, early aborts). @default false'),
  })
  .describe('One SLO judged over one step.');

/** Prometheus's view of one version over a step (`steps[].meshView[]`). */
export const meshViewSchema = z
  .strictObject({
    version: z.string().describe('Subset.'),
    successRatePercent: z.number().nullable().describe("Flagger's request-success-rate, percent 0–100; null when there was no data."),
    p99Ms: z.number().nullable().describe("Flagger's request-duration (p99 from Istio's histogram buckets), ms; null when there was no data."),
  })
  .describe("Prometheus's (mesh-side) view of one version over a step.");

const mirroredMs = (what: string) => z.number().nullable().describe(`${what} of the copies, ms (interpolated within Istio's buckets); null when there was none.`);

/** The mirrored traffic of a step, measured by the mesh (`steps[].mirrored`). */
export const mirroredStatsSchema = z
  .strictObject({
    version: z.string().describe('Subset the copies went to.'),
    measuredBy: z.literal('mesh').describe("Who measured them: the local mesh's own counters of mirrored copies (the client never sees their responses)."),
    count: z.number().int().min(0).describe('Copies sent during the step.'),
    errors: z.number().int().min(0).describe('Copies that failed: status >= 500 or no response.'),
    errorRate: z.number().nullable().describe('errors / count, a fraction 0–1; null when count is 0.'),
    latency: z.strictObject({ p50: mirroredMs('Median'), p95: mirroredMs('95th percentile'), p99: mirroredMs('99th percentile') }).describe('Latency percentiles of the copies.'),
  })
  .describe('The mirrored (shadow) traffic of a step, measured by the mesh.');

/** One step of the run (`steps[]`). */
export const stepResultSchema = z
  .strictObject({
    index: z.number().int().min(0).describe('0-based step index.'),
    canaryWeight: z.number().nullable().describe('Canary weight in effect, percent; null when the experiment does not shift.'),
    label: z.string().describe('Human label, e.g. "canary 25%" or "fault delay 2s on 50%".'),
    startedAt: epochMs('When load started in the step'),
    endedAt: epochMs('When the step ended (its analysis window closed)'),
    stats: z.array(versionStatsSchema).describe('Statistics per version, then "unknown", then "all".'),
    requests: z
      .array(requestStatsSchema)
      .optional()
      .describe('Figures per request name (in load.requests order), when the load sets load.requests or load.data. @default absent'),
    timeline: z.array(timelinePointSchema).default([]).describe('Figures per version per window (timelineSeconds wide) over the step, ascending. @default []'),
    timelineSeconds: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Width of each timeline window, seconds: wider than 1 for a long run, so a series has at most about 1,200 points (src/model/timeline.ts). @default 1'),
    meshView: z.array(meshViewSchema).optional().describe("Prometheus's view per version, when spec.metrics.prometheus is set."),
    mirrored: mirroredStatsSchema.optional().describe('The mirrored traffic, when the step mirrored and the local mesh counted the copies.'),
    checks: z.array(checkResultSchema).describe('Checks judged at the end of the step.'),
    failedChecksTotal: z.number().int().min(0).describe('Failed checks so far in the run (compared with analysis.threshold).'),
    decision: z.enum(['continue', 'promote', 'rollback', 'complete']).describe('What happened next.'),
    sequential: z
      .array(sequentialTraceSchema)
      .optional()
      .describe('The sequential tests of the step, one per SLO they apply to (analysis.mode: sequential). @default absent'),
    endedEarly: z
      .enum(['regression', 'non-inferior'])
      .optional()
      .describe('The step stopped before its interval because a sequential test was certain: a regression (rolled back at once), or non-inferiority (analysis.promoteEarly). @default absent'),
    abortedEarly: z.boolean().optional().describe('The step was stopped early by an analysis.abortWhen condition (its check comes first). @default false'),
  })
  .describe('One step of the run.');

/** One SLO's false alarms over an A/A run (`aa.byCheck[]`). */
export const aaCheckSchema = z
  .strictObject({
    name: z.string().describe('Check name.'),
    judged: z.number().int().min(0).describe('Windows in which it was judged (pass or fail).'),
    falseAlarms: z.number().int().min(0).describe('Windows in which it failed although both sides were the stable.'),
    noData: z.number().int().min(0).describe('Windows in which it had no data.'),
  })
  .describe("One SLO's false alarms over an A/A run.");

/** The A/A figures of a run (`aa`). */
export const aaSchema = z
  .strictObject({
    windows: z.number().int().min(0).describe('Windows run.'),
    seed: z.number().int().describe('Seed of the random A/B split of the stable\'s responses.'),
    judged: z.number().int().min(0).describe('Checks judged over all windows (no data excluded).'),
    falseAlarms: z.number().int().min(0).describe('Checks that failed.'),
    rate: z.number().nullable().describe('falseAlarms / judged; null when nothing was judged.'),
    byCheck: z.array(aaCheckSchema).describe('Per SLO, in spec order.'),
  })
  .describe('A/A mode (run --aa): the false-alarm figures of the SLOs on this system.');

/** One event of the run (`events[]`). */
export const runEventSchema = z
  .strictObject({ time: epochMs('When it happened'), message: z.string().describe('What happened, in plain words.') })
  .describe('One event of the run.');
// Generated from the one exit-code table, so the schema lists every code the CLI can return.
const EXIT_CODE_DESCRIPTION = `Exit code of \`mesh-exp run\`: ${EXIT_CODE_TABLE.map((e) => `${e.code} = ${e.meaning}`).join(' | ')}.`;

/** The zod schema of result.json. */
export const runResultSchema = z
  .strictObject({
    schemaVersion: z.literal(1).describe('Format version of result.json; a reader must refuse versions it does not know.'),
    name: z.string().describe('Experiment name (metadata.name).'),
    outcome: z.enum(['promoted', 'passed', 'rolled-back', 'error', 'interrupted']).describe('How the run ended.'),
    summary: z.string().describe('One sentence: the verdict and why (for a rollback: which check failed at which step and by how much).'),
    exitCode: z.number().int().describe(EXIT_CODE_DESCRIPTION),
    startedAt: epochMs('Start of the run'),
    endedAt: epochMs('End of the run'),
    steps: z.array(stepResultSchema).describe('Steps run, in order.'),
    restored: z.boolean().describe('Whether the mesh ended as intended: restored to its original routes, or promoted.'),
    error: z.string().optional().describe('Error message, when outcome is "error" or the restore failed.'),
    aa: aaSchema.optional(),
    experiment: z.unknown().describe('The experiment as run: the file parsed, defaults filled in (durations in ms, percentages as fractions).'),
    experimentSource: z
      .string()
      .optional()
      .describe('The experiment file\'s text as the user wrote it (durations like "5s", percentages like "1%", comments kept); what the report shows as the experiment run. Absent in runs written before it was recorded, and for experiments not read from a file.'),
    environment: z.record(z.string(), z.string()).describe('Environment: mesh-exp and Node versions, provider, generator, mesh address; `engine` names the load engine that measured the latencies ("builtin": from the intended send time, no coordinated omission; "vegeta": from the actual send), absent for generator none.'),
    events: z.array(runEventSchema).describe('Traffic changes and decisions in time order.'),
    partial: z
      .literal(true)
      .optional()
      .describe('Present (true) when the run was killed and this result was written afterwards by `mesh-exp recover` from the steps that had finished; partialReason says what happened. @default absent (the run wrote its own result)'),
    partialReason: z.string().optional().describe('Why the result is partial, e.g. "the run was killed after step 2 of 3; recovered at 2025-05-14T09:31:00.000Z". @default absent'),
  })
  .describe('The result of one mesh-exp run: every step, every check with its value, threshold, samples and verdict, and why the run ended as it did.');

/**
 * The first line of a run's steps.jsonl (`src/runner/step-log.ts`): what a report of the run needs
 * besides its steps, written when the run starts, so `mesh-exp recover` can report the steps that
 * finished before a crash.
 */
export const stepLogRunSchema = z
  .strictObject({
    kind: z.literal('run'),
    name: z.string(),
    startedAt: z.number(),
    plannedSteps: z.number().int().min(0).describe('Steps the plan has.'),
    experiment: z.unknown(),
    experimentSource: z.string().optional(),
    environment: z.record(z.string(), z.string()),
  })
  .describe('The run a steps.jsonl belongs to.');

/** A later line of steps.jsonl: one finished step, with the run's events since the line before. */
export const stepLogStepSchema = z
  .strictObject({ kind: z.literal('step'), step: stepResultSchema, events: z.array(runEventSchema) })
  .describe('One finished step of the run.');

/** Any line of steps.jsonl. */
export const stepLogLineSchema = z.discriminatedUnion('kind', [stepLogRunSchema, stepLogStepSchema]);
