/**
 * The SLO kinds that read the mesh's own view rather than the client's: the share of requests
 * carrying an Envoy response flag, outlier ejections, and the retry success rate. Measured from the
 * local mesh's admin (/stats, /stats/prometheus) read at the step's load start and end, or from
 * Prometheus (metrics.prometheus) for the cluster providers; see README, "SLO reference".
 */
import { z } from 'zod';
import { percentString } from './schema-fields.js';
import { RESPONSE_FLAG_NAMES } from './response-flags.js';

/** The kinds judged on the mesh's own view. */
export const MESH_VIEW_KINDS: ReadonlySet<string> = new Set(['response-flag', 'ejections', 'retry-success-rate']);

const name = z.string().optional().describe('Name shown in reports and JUnit. @default derived from kind and subject');

const subject = (fallback: 'canary' | 'all', what: string) =>
  z
    .enum(['canary', 'stable', 'all'])
    .default(fallback)
    .describe(`${what} @default "${fallback}"`);

const needsBound = (s: { min?: unknown; max?: unknown }) => s.min !== undefined || s.max !== undefined;

export const responseFlagSloSchema = z
  .strictObject({
    kind: z.literal('response-flag').describe("Share of requests the mesh's source reporter counted with an Envoy response flag (istio_requests_total's response_flags label)."),
    name,
    subject: subject(
      'all',
      'Whose requests: all requests to the target host, or those a canary or stable endpoint answered (destination_version). Flags given before a host is chosen (UO, UH, NR, FI, ...) never carry a version, so only "all" counts them.',
    ),
    flag: z.enum(RESPONSE_FLAG_NAMES).describe('Envoy response flag, e.g. "UO" (circuit breaker overflow), "URX" (retries exhausted), "UT" (timeout).'),
    max: percentString('Highest acceptable share of requests with the flag, e.g. "30%". @default none').optional(),
    min: percentString('Lowest acceptable share of requests with the flag, e.g. "1%" (the breaker must trip). @default none').optional(),
  })
  .refine(needsBound, { message: 'a response-flag SLO needs min, max or both' })
  .describe("Response-flag SLO: the mesh's own view of how its requests ended.");

const clusterSubject = () => subject('canary', "Whose cluster: the canary's or stable's subset cluster, or all clusters of the target host.");

export const ejectionsSloSchema = z
  .strictObject({
    kind: z.literal('ejections').describe("Outlier ejections the mesh enforced in the step on the subject's cluster (Envoy's outlier_detection.ejections_enforced_total)."),
    name,
    subject: clusterSubject(),
    min: z.number().int().min(0).optional().describe('Fewest ejections expected in the step, e.g. 1 (the bad endpoint must be ejected). @default none'),
    max: z.number().int().min(0).optional().describe('Most ejections acceptable in the step, e.g. 0. @default none'),
  })
  .refine(needsBound, { message: 'an ejections SLO needs min, max or both' })
  .describe('Ejections SLO: outlier detection seen from the mesh.');

export const retrySuccessRateSloSchema = z
  .strictObject({
    kind: z.literal('retry-success-rate').describe("Share of the step's retries that succeeded on the subject's cluster: upstream_rq_retry_success / upstream_rq_retry. A step without retries has no data."),
    name,
    subject: clusterSubject(),
    min: percentString('Lowest acceptable retry success rate, e.g. "90%". @default none').optional(),
    max: percentString('Highest acceptable retry success rate. @default none').optional(),
  })
  .refine(needsBound, { message: 'a retry-success-rate SLO needs min, max or both' })
  .describe("Retry-success-rate SLO: whether the mesh's retries absorb the failures.");
