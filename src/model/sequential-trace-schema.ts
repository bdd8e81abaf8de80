/**
 * What a step's sequential (anytime-valid) analysis saw, second by second (`steps[].sequential[]`,
 * analysis.mode: sequential): the e-value against its bound 1/α, the confidence sequence of the
 * compared quantity, and when and on how many samples the evidence crossed. The report plots it;
 * the decision's message cites it. The statistics are in src/analysis/sequential/README.md.
 */
import { z } from 'zod';

/** Samples seen per version at a point of the trace. */
export const sequentialSamplesSchema = z
  .strictObject({
    canary: z.number().int().min(0).describe('Canary samples (requests; counted by Prometheus for a prometheus-bound test) so far in the step.'),
    stable: z.number().int().min(0).describe('Stable samples so far in the step.'),
  })
  .describe('Samples seen per version.');

/** One look at the evidence (one per second, or per scrape for a Prometheus SLO). */
export const sequentialPointSchema = z
  .strictObject({
    t: z.number().min(0).describe('Seconds since the step\'s load started.'),
    eValue: z.number().min(0).describe('E-value against "the canary is not worse" at this look (1: no evidence; at or above threshold: regression).'),
    nonInferiorityEValue: z
      .number()
      .min(0)
      .optional()
      .describe('E-value against "the canary is worse than the non-inferiority margin", for tests whose non-inferiority rests on one (latency). @default absent'),
    samples: sequentialSamplesSchema,
    lower: z.number().optional().describe('Lower bound of the confidence sequence of `quantity` at this look. @default absent'),
    upper: z.number().optional().describe('Upper bound of the confidence sequence of `quantity` at this look. @default absent'),
  })
  .describe('One look at the evidence.');

/** One SLO's sequential test over one step. */
export const sequentialTraceSchema = z
  .strictObject({
    name: z.string().describe('The check it belongs to (the SLO\'s name), e.g. "canary-error-rate".'),
    kind: z
      .string()
      .describe('Which test: "error-rate" or "latency" (canary against stable), "error-rate-bound" (the canary\'s error rate against an absolute SLO), "latency-bound" (its share of requests slower than an absolute SLO\'s limit) or "prometheus-bound" (either share, counted by Prometheus, against a prometheus built-in SLO\'s bound).'),
    alpha: z.number().gt(0).lt(1).describe('False-alarm bound α, held however often the test looks (1 − the SLO\'s confidence).'),
    threshold: z.number().gt(1).describe('1/α: an e-value at or above it is a certain regression (Ville\'s inequality).'),
    quantity: z
      .string()
      .optional()
      .describe('What the confidence sequence bounds, in words, e.g. "canary − stable error rate", "canary ÷ stable latency − 1" or "canary error rate". @default absent'),
    margin: z
      .number()
      .optional()
      .describe('The non-inferiority margin in the units of `quantity` (e.g. 0.01 for one point of error rate, 0.05 for a latency 5% slower): non-inferiority is the confidence sequence lying wholly below it. The report draws it beside the confidence sequence. @default absent'),
    bound: z
      .number()
      .optional()
      .describe('For a one-version test of an absolute SLO: the SLO\'s bound in the units of `quantity` (e.g. 0.01 for an error rate of at most 1%), which the confidence sequence is judged against; the report draws it in place of the no-difference line (0) of a canary-against-stable test. @default absent'),
    decision: z.enum(['regression', 'non-inferior', 'continue']).describe('What the evidence showed by the step\'s end or stop: a certain regression, certain non-inferiority, or neither.'),
    crossedAt: z.number().min(0).optional().describe('Seconds since the step\'s start at which the decision was first reached. @default absent'),
    crossedAtSamples: sequentialSamplesSchema.optional().describe('Samples seen when the decision was reached. @default absent'),
    eValue: z.number().min(0).describe('The e-value at the last look.'),
    points: z.array(sequentialPointSchema).describe('Every look, ascending in t (at most about 1,200; thinned evenly for long steps, keeping the crossing).'),
  })
  .describe('One SLO\'s sequential test over one step.');
