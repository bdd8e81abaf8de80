/**
 * One line of the run history (`<reports root>/index.jsonl`) in zod: the one description of an
 * index entry. The TypeScript types are derived from it, the published JSON Schema
 * (schema/history.schema.json, `npm run schema`) is generated from it, and `mesh-exp history` and
 * `mesh-exp report --trend` check every line they read against it.
 */
import { z } from 'zod';

const epochMs = (what: string) => z.number().describe(`${what}, epoch milliseconds (UTC).`);
const msOrNull = (what: string) => z.number().nullable().describe(`${what}, milliseconds; null when no latency was recorded.`);

/** A latency distribution kept compact: log buckets 1% wide (`history/latency-buckets.ts`). */
export const latencyBucketsSchema = z
  .strictObject({
    values: z.array(z.number().min(0)).describe("Each non-empty bucket's upper edge, ms, strictly ascending (buckets are 1% wide: a value is reported at most 1% above itself)."),
    counts: z.array(z.number().int().min(1)).describe('Requests in each bucket, same length as values.'),
  })
  // The arrays pair up: a line where they do not is refused on read, not ranked.
  .refine((b) => b.values.length === b.counts.length, { message: 'values and counts must have the same length' })
  .refine((b) => b.values.every((v, i) => i === 0 || v > b.values[i - 1]!), { message: 'values must be strictly ascending' })
  .describe("A latency distribution re-bucketed into 1%-wide log buckets: what the regression test ranks (a few hundred pairs instead of the recorder's histogram).");

/** One version's figures over a span (the last step, or the whole run). */
export const versionFiguresSchema = z
  .strictObject({
    version: z.string().describe('Version (subset), as the experiment names it.'),
    count: z.number().int().min(0).describe('Requests counted (responses + failures).'),
    errors: z.number().int().min(0).describe('Requests that failed (status >= 500, or no response).'),
    errorRate: z.number().nullable().describe('errors / count, a fraction 0–1; null when count is 0.'),
    p50: msOrNull('Median latency'),
    p99: msOrNull('99th percentile latency'),
  })
  .describe("One version's request count, error rate and latency over a span.");

/** One SLO check's verdicts over the run. */
export const checkSummarySchema = z
  .strictObject({
    name: z.string().describe('Check name, as in result.json.'),
    verdict: z.enum(['pass', 'fail', 'no-data']).describe('Its verdict in the last step that judged it.'),
    failedSteps: z.number().int().min(0).describe('Steps in which it failed.'),
  })
  .describe("One SLO check's verdict summary over the run.");

/** The run's figures for the stable and the canary over one span. */
const spanSchema = (what: string) =>
  z
    .strictObject({
      stable: versionFiguresSchema.describe("The stable's figures."),
      canary: versionFiguresSchema.describe("The canary's figures (the version under test; in A/A runs the stable's second half)."),
    })
    .describe(what);

/** The zod schema of one index.jsonl line. */
export const historyEntrySchema = z
  .strictObject({
    schemaVersion: z.literal(1).describe('Format version of the line; a reader skips versions it does not know.'),
    runDir: z.string().min(1).describe("The run directory, relative to the reports root (the index's own directory), with / separators."),
    experiment: z.string().describe('Experiment name (metadata.name).'),
    gameDay: z
      .strictObject({ name: z.string().describe('Game-day name.'), dir: z.string().describe("The game day's directory, relative to the reports root.") })
      .optional()
      .describe('The game day the run was part of. @default absent (a run of its own)'),
    startedAt: epochMs('Start of the run'),
    endedAt: epochMs('End of the run'),
    durationMs: z.number().min(0).describe('endedAt − startedAt, ms.'),
    outcome: z.enum(['promoted', 'passed', 'rolled-back', 'error', 'interrupted']).describe('How the run ended (as result.json says).'),
    exitCode: z.number().int().describe('Exit code of the run (137 for a killed run recover finished).'),
    aa: z.literal(true).optional().describe('Present when the run was an A/A run (run --aa): its "canary" is the stable\'s second random half, so it is compared only with other A/A runs. @default absent'),
    partial: z.literal(true).optional().describe('Present when `mesh-exp recover` wrote this line for a killed run from the steps that had finished. @default absent'),
    steps: z.number().int().min(0).describe('Steps run.'),
    checks: z.array(checkSummarySchema).describe('Each SLO check, in the order of its first appearance.'),
    lastStep: spanSchema("The stable's and canary's figures over the last step run (latency percentiles exact, from the run's HDR histograms).")
      .extend({ label: z.string().describe('The step\'s label, e.g. "canary 100%".') })
      .nullable()
      .describe('The last step run; null when none finished.'),
    overall: spanSchema('Over every step (latency percentiles from the merged 1% buckets; null when the buckets were not kept).').describe('The whole run.'),
    latency: z
      .strictObject({ stable: latencyBucketsSchema.optional(), canary: latencyBucketsSchema.optional() })
      .optional()
      .describe("The last step's latency distributions, for the regression test between runs. @default absent (a partial run: steps.jsonl keeps no distribution)"),
  })
  .describe('One finished run of mesh-exp, appended to <reports root>/index.jsonl by `mesh-exp run` and `mesh-exp recover`.');

/** One index.jsonl line. */
export type HistoryEntry = z.output<typeof historyEntrySchema>;

/** One version's figures over a span. */
export type VersionFigures = z.output<typeof versionFiguresSchema>;

/** A compact latency distribution. */
export type LatencyBuckets = z.output<typeof latencyBucketsSchema>;
