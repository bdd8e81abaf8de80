/**
 * The fields of `spec.analysis` that choose how a step is judged: once at its end (`mode: fixed`,
 * the default), or continuously with anytime-valid tests (`mode: sequential`, issue 22), which stop
 * a step at a certain regression and, with `promoteEarly`, at certain non-inferiority.
 * The tests and why their false-alarm bound holds under every-second looks:
 * src/analysis/sequential/README.md. Which SLOs get a test: src/runner/sequential-side.ts.
 */
import { z } from 'zod';
import { percentString } from './schema-fields.js';

/** The analysis modes. */
export const ANALYSIS_MODES = ['fixed', 'sequential'] as const;

/** How close to the stable the canary must be shown to be before a step may end early on `promoteEarly`. */
export const nonInferiorityMarginSchema = z
  .strictObject({
    errorRate: percentString(
      'relative-error-rate SLOs: the canary is non-inferior once the confidence sequence of its error rate minus the stable\'s lies wholly below this many percentage points ("1%" = 1 point). Above 0. @default "1%"',
    )
      .refine((f) => f > 0, 'a margin of 0% can never be shown (the confidence sequence always has some width)')
      .prefault('1%'),
    latency: percentString(
      'relative-latency SLOs: the canary is non-inferior once it is certainly less than this much slower than the stable (its latencies divided by 1 + this rank faster, every second: src/analysis/sequential/README.md, Test 3). Above 0. @default "5%"',
    )
      .refine((f) => f > 0, 'a margin of 0% can never be shown (it would need the canary certainly faster)')
      .prefault('5%'),
  })
  .describe('Non-inferiority margins of the sequential tests (analysis.mode: sequential); they matter only for promoteEarly and the report.');

/** The fields spread into `analysisSchema` (src/experiment/schema.ts). */
export const sequentialAnalysisFields = {
  mode: z
    .enum(ANALYSIS_MODES)
    .default('fixed')
    .describe(
      'How steps are judged. fixed: every SLO once over the whole step. sequential: the relative SLOs (relative-error-rate, relative-latency) and the canary\'s absolute error-rate and latency SLOs are also tested every second (its prometheus built-in SLOs once per metrics.prometheus.scrapeInterval, on Prometheus\'s counters) with anytime-valid tests whose false-alarm bound (1 − the SLO\'s confidence, or 1 − absoluteConfidence) holds however often they look; a certain regression stops the step and rolls back at once; otherwise the step runs its interval and the fixed checks apply. @default "fixed"',
    ),
  promoteEarly: z
    .boolean()
    .default(false)
    .describe('mode sequential only: also end a step early once every sequential test shows the canary certainly non-inferior (within analysis.nonInferiority); the step then continues or promotes as on a pass, its other SLOs judged on the requests so far. @default false'),
  nonInferiority: nonInferiorityMarginSchema.optional().describe('mode sequential only: the non-inferiority margins. @default { errorRate: "1%", latency: "5%" }'),
  absoluteConfidence: z
    .number()
    .gt(0.5)
    .lt(1)
    .optional()
    .describe(
      'mode sequential only: confidence of the tests of the canary\'s absolute SLOs (error-rate, latency below p100, and the prometheus built-ins request-success-rate and request-duration), which have no confidence field of their own; their false-alarm bound is 1 − this. @default 0.99',
    ),
};

/** The margins as parsed. */
export type NonInferiorityMargins = z.output<typeof nonInferiorityMarginSchema>;

/** Confidence of the absolute SLOs' tests when `analysis.absoluteConfidence` is absent. */
export const DEFAULT_ABSOLUTE_CONFIDENCE = 0.99;

/** The margins a sequential run uses when `analysis.nonInferiority` is absent (the schema's defaults). */
export const DEFAULT_NON_INFERIORITY: NonInferiorityMargins = nonInferiorityMarginSchema.parse({});
