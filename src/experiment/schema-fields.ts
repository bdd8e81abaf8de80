/**
 * The field builders of the experiment schema: the units a user writes ("10s", "1%", a traffic
 * share, a Kubernetes name), each parsed to the number the runner works with.
 */
import { z } from 'zod';
import { DURATION_PATTERN, PERCENT_PATTERN, parseDuration, parsePercent } from '../input/units.js';

/** A duration string parsed to milliseconds. */
export const duration = (description: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, 'expected a duration such as "500ms", "10s" or "1m30s"')
    .transform((s) => parseDuration(s)!)
    .describe(description);

/** A percentage string ("1%") parsed to a fraction (0.01). */
export const percentString = (description: string) =>
  z
    .string()
    .regex(PERCENT_PATTERN, 'expected a percentage such as "1%" or "0.5%"')
    .transform((s) => parsePercent(s)!)
    .refine((f) => f <= 1, 'a percentage cannot exceed 100%')
    .describe(description);

/** A share of traffic, 0–100, as Istio writes weights and percentages. */
export const trafficPercent = (description: string) => z.number().min(0).max(100).describe(description);

/** A name Kubernetes accepts (DNS-1123 label-ish, which also makes a safe directory name). */
export const k8sName = (description: string) =>
  z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a lowercase name (a-z, 0-9, "-", "."), e.g. "reviews-canary"')
    .max(253)
    .describe(description);
