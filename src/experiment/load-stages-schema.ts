/**
 * `load.stages` and `load.startRate`: a ramping open-model arrival rate (k6's ramping-arrival-rate).
 * Each stage ramps linearly from the rate before it (`startRate` for the first) to its own `rate`
 * over its `duration`; after the last stage its rate holds. The profile applies to each step's
 * load window: it restarts at every step.
 */
import { z } from 'zod';
import { duration, STEP_DURATION } from './schema-fields.js';

/** Most stages one profile may list (a profile is a shape, not a trace to replay). */
export const MAX_LOAD_STAGES = 100;

/** The highest arrival rate, as for `load.rate` (one process sends every request). */
export const MAX_LOAD_RATE = 100_000;

/** One stage: ramp to `rate` over `duration`. */
export const loadStageSchema = z
  .strictObject({
    rate: z
      .number()
      .min(0)
      .max(MAX_LOAD_RATE)
      .describe('Arrival rate reached at the end of the stage, requests per second; 0 to 100000 (0 ramps down to nothing).'),
    duration: duration('How long the stage ramps, linearly, from the rate before it to its rate.', STEP_DURATION),
  })
  .describe('One stage of a ramping arrival rate.');

/** The fields `loadSchema` adds for rate shapes. */
export const loadStagesFields = {
  stages: z
    .array(loadStageSchema)
    .min(1)
    .max(MAX_LOAD_STAGES)
    .optional()
    .describe(
      'A ramping open-model arrival rate instead of the constant rate (k6\'s ramping-arrival-rate): each stage ramps linearly from the rate before it (startRate for the first) to its rate over its duration, and the last rate holds to the end of the load. It restarts at each step\'s load window, and must fit in it. Not with rate. 1 to 100 stages. @default absent: the constant rate',
    ),
  startRate: z
    .number()
    .min(0)
    .max(MAX_LOAD_RATE)
    .optional()
    .describe('Arrival rate the first stage starts from, requests per second, 0 to 100000; only with stages. @default 0'),
};
