/**
 * One second of one version's figures, as the report's time-series charts draw them (derived
 * from result.json's schema, `result-schema.ts`).
 */
import type { z } from 'zod';
import type { timelinePointSchema } from './result-schema.js';

/** One version's figures in one recorder window (one second), for the report's charts. */
export type TimelinePoint = z.output<typeof timelinePointSchema>;
