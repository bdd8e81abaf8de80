/**
 * One point of a step's timeline, as the report's time-series charts draw them (derived from
 * result.json's schema, `result-schema.ts`), and how wide a run's points are.
 */
import type { z } from 'zod';
import type { timelinePointSchema } from './result-schema.js';

/** One version's figures in one timeline window (one second, or wider for a long run), for the report's charts. */
export type TimelinePoint = z.output<typeof timelinePointSchema>;

/**
 * Most points a run's timeline series holds: about one per pixel of the widest chart (the report's
 * page is at most 80rem, some 1,200 CSS px, wide), so more would not be seen, only stored: a one-hour
 * run gets a point per 3 s, a day one per 2 min. It bounds result.json and report.html whatever the
 * run's length (a 24-hour game day of one-hour runs: bench/report).
 */
export const TIMELINE_MAX_POINTS = 1200;

/** The widths a point may have, seconds: whole divisors of a minute or an hour, so points align on the clock. */
const POINT_SECONDS = [1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600];

/**
 * The width of each timeline point (ms) for a run planned to last `plannedMs`: the narrowest of
 * 1, 2, 3, 5, 10, 15, 20, 30 s, 1, 2, 3, 5, 10, 15, 20, 30 min, 1 h giving at most
 * {@link TIMELINE_MAX_POINTS} points. Every step of the run uses it, so the charts have one x scale.
 */
export function timelinePointMs(plannedMs: number): number {
  const seconds = Math.max(0, plannedMs) / 1000;
  return 1000 * (POINT_SECONDS.find((s) => seconds / s <= TIMELINE_MAX_POINTS) ?? POINT_SECONDS.at(-1)!);
}
