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
    latencyOddsRatio: z
      .number()
      .gt(1)
      .max(100)
      .default(1.5)
      .describe(
        'relative-latency SLOs: the canary is non-inferior once, at each of the stable\'s p50, p90 and p99, its odds of being slower are certainly below this × the stable\'s; above 1, at most 100. Reaching it takes many requests (about 26,000 per version at 1.5: src/analysis/sequential/README.md). @default 1.5',
      ),
  })
  .describe('Non-inferiority margins of the sequential tests (analysis.mode: sequential); they matter only for promoteEarly and the report.');

/** The fields spread into `analysisSchema` (src/experiment/schema.ts). */
export const sequentialAnalysisFields = {
  mode: z
    .enum(ANALYSIS_MODES)
    .default('fixed')
    .describe(
      'How steps are judged. fixed: every SLO once over the whole step. sequential: the relative SLOs (relative-error-rate, relative-latency) are also tested every second with anytime-valid tests whose false-alarm bound (1 − the SLO\'s confidence) holds however often they look; a certain regression stops the step and rolls back at once; otherwise the step runs its interval and the fixed checks apply. @default "fixed"',
    ),
  promoteEarly: z
    .boolean()
    .default(false)
    .describe('mode sequential only: also end a step early once every sequential test shows the canary certainly non-inferior (within analysis.nonInferiority); the step then continues or promotes as on a pass, its other SLOs judged on the requests so far. @default false'),
  nonInferiority: nonInferiorityMarginSchema.optional().describe('mode sequential only: the non-inferiority margins. @default { errorRate: "1%", latencyOddsRatio: 1.5 }'),
};

/** The margins as parsed. */
export type NonInferiorityMargins = z.output<typeof nonInferiorityMarginSchema>;

/** The margins a sequential run uses when `analysis.nonInferiority` is absent (the schema's defaults). */
export const DEFAULT_NON_INFERIORITY: NonInferiorityMargins = nonInferiorityMarginSchema.parse({});
