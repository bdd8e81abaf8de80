/**
 * The figures of an A/A run (false alarms of SLO checks judged between two halves of the same
 * version), as result.json records them (`result-schema.ts`); computed by analysis/aa-summary.ts.
 */
import type { z } from 'zod';
import type { aaCheckSchema, aaSchema } from './result-schema.js';

/** One SLO's false alarms over the windows. */
export type AaCheckFigures = z.output<typeof aaCheckSchema>;

/** The A/A figures of a run. */
export type AaFigures = z.output<typeof aaSchema>;
