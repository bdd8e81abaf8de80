/**
 * The SLO part of the experiment schema: per-subject SLOs (error-rate, latency, prometheus), the
 * relative SLOs (canary vs stable), the mesh-view SLOs (mesh-slo-schema.ts), and the early-abort
 * conditions written like SLOs.
 */
import { z } from 'zod';
import { duration, LATENCY_LIMIT, percentString } from './schema-fields.js';
import { ejectionsSloSchema, responseFlagSloSchema, retrySuccessRateSloSchema } from './mesh-slo-schema.js';

const sloBase = {
  name: z.string().optional().describe('Name shown in reports and JUnit. @default derived from kind and subject'),
  subject: z
    .enum(['canary', 'stable', 'all'])
    .default('canary')
    .describe('Whose responses are judged: those served by the canary, the stable, or all. @default "canary"'),
};

export const errorRateSloSchema = z
  .strictObject({
    kind: z.literal('error-rate').describe('Share of requests that failed (5xx, connection errors, timeouts).'),
    ...sloBase,
    max: percentString('Highest acceptable error rate, e.g. "1%".'),
  })
  .describe('Error-rate SLO.');

export const latencySloSchema = z
  .strictObject({
    kind: z.literal('latency').describe('A latency percentile, measured from the intended send time.'),
    ...sloBase,
    percentile: z
      .enum(['p50', 'p90', 'p95', 'p99', 'p99.9', 'max'])
      .default('p99')
      .describe('Which percentile is judged. @default "p99"'),
    max: duration('Highest acceptable value of the percentile, e.g. "250ms".', LATENCY_LIMIT),
  })
  .describe('Latency SLO.');

export const prometheusSloSchema = z
  .strictObject({
    kind: z.literal('prometheus').describe('A PromQL query judged against min and/or max, once per step (needs spec.metrics.prometheus).'),
    ...sloBase,
    builtin: z
      .enum(['request-success-rate', 'request-duration'])
      .optional()
      .describe("Flagger's Istio query: request-success-rate (percent of non-5xx, 0–100) or request-duration (p99 in ms). Give either builtin or query."),
    query: z
      .string()
      .min(1)
      .optional()
      .describe('Your own PromQL returning one series; {{ namespace }}, {{ target }}, {{ version }}, {{ stable }}, {{ canary }}, {{ service }} and {{ interval }} are filled in.'),
    min: z.number().optional().describe('Lowest acceptable value (in the unit of the query, e.g. 99 for a success rate in percent).'),
    max: z.number().optional().describe('Highest acceptable value (in the unit of the query, e.g. 500 for a duration in ms).'),
  })
  .refine((s) => (s.builtin === undefined) !== (s.query === undefined), { message: 'a prometheus SLO needs exactly one of builtin or query' })
  .refine((s) => s.min !== undefined || s.max !== undefined, { message: 'a prometheus SLO needs min, max or both' })
  .describe('Prometheus SLO: the mesh-side view (Istio metrics), as Flagger and Argo Rollouts judge it.');

/** Fields every relative SLO has: the canary judged against the stable, in the same windows. */
const relativeBase = {
  name: z.string().optional().describe('Name shown in reports and JUnit. @default derived from kind'),
  confidence: z
    .number()
    .gt(0.5)
    .lt(1)
    .default(0.98)
    .describe('Confidence of the interval and of the significance test (Kayenta\'s default). A difference counts only when it is significant at 1 − confidence. @default 0.98'),
};

export const relativeLatencySloSchema = z
  .strictObject({
    kind: z
      .literal('relative-latency')
      .describe('Canary latency against the stable\'s, measured in the same windows: Mann-Whitney U test and Hodges-Lehmann shift of the median with its interval (Kayenta\'s judge).'),
    ...relativeBase,
    allowedIncrease: percentString(
      'Largest acceptable slowdown of the canary, as the Hodges-Lehmann shift relative to the stable median: the check fails when the canary is significantly slower by more than this. @default "5%"',
    ).prefault('5%'),
    criticalIncrease: percentString(
      'A slowdown that rolls back at once, whatever analysis.threshold says: the check is critical when even the interval\'s lower bound exceeds it, e.g. "50%". @default none',
    ).optional(),
  })
  .describe('Relative latency SLO (canary vs stable).');

export const relativeErrorRateSloSchema = z
  .strictObject({
    kind: z
      .literal('relative-error-rate')
      .describe('Canary error rate against the stable\'s, measured in the same windows: the difference of two proportions with Newcombe\'s interval.'),
    ...relativeBase,
    allowedIncrease: percentString(
      'Largest acceptable increase of the error rate, in percentage points ("0.5%" = canary 1.5% against stable 1%): the check fails when the canary is significantly worse by more than this. @default "0%"',
    ).prefault('0%'),
    criticalIncrease: percentString(
      'An increase (percentage points) that rolls back at once, whatever analysis.threshold says: the check is critical when even the interval\'s lower bound exceeds it, e.g. "10%". @default none',
    ).optional(),
  })
  .describe('Relative error-rate SLO (canary vs stable).');

/** The SLO list is a union keyed by `kind`, so new kinds slot in. */
export const sloSchema = z.discriminatedUnion('kind', [
  errorRateSloSchema,
  latencySloSchema,
  prometheusSloSchema,
  relativeLatencySloSchema,
  relativeErrorRateSloSchema,
  responseFlagSloSchema,
  ejectionsSloSchema,
  retrySuccessRateSloSchema,
]);

/** An early-abort condition: checked on the step's data so far, several times a second. */
export const abortConditionSchema = z.discriminatedUnion('kind', [errorRateSloSchema, latencySloSchema]);
