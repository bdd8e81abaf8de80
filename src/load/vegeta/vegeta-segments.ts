/**
 * How the vegeta generator runs a ramping profile (`load.stages`). vegeta's CLI has only a
 * constant pacer (`-rate`), so the load window is cut into short segments (1 s), each run as its
 * own constant-rate attack at the segment's MEAN target rate: the shape becomes a staircase of
 * 1 s steps. Each segment gets exactly the arrivals the profile holds in it,
 * ceil(Λ(end)) − ceil(Λ(start)), fed as that many targets (vegeta stops when they run out), so
 * the window's total is exact: ceil(Λ(duration)), as with the built-in generator. Within a
 * segment, arrivals are evenly spaced at its mean rate (vegeta's pacer: the i-th of n at
 * i·length/n), so one is at most one segment away from its intended time Λ⁻¹(k).
 */
import { arrivalCountOf } from '../rate-profile.js';
import type { RateProfile } from '../types.js';

/** One constant-rate attack of a ramp. */
export interface VegetaSegment {
  /** Start, ms after the load window's start. */
  startMs: number;
  /** Length, ms. */
  durationMs: number;
  /** Requests the segment sends (>= 0; a segment with none runs no attack). */
  count: number;
}

/** The length of a segment, ms: short enough to follow a ramp, long enough to amortize a process start. */
export const VEGETA_SEGMENT_MS = 1000;

/** Cuts [0, durationMs) into segments of `segmentMs` (the last one shorter) with the profile's exact counts. */
export function vegetaSegments(profile: RateProfile, durationMs: number, segmentMs = VEGETA_SEGMENT_MS): VegetaSegment[] {
  const out: VegetaSegment[] = [];
  let sentBefore = 0;
  for (let start = 0; start < durationMs; start += segmentMs) {
    const end = Math.min(durationMs, start + segmentMs);
    const sentBy = arrivalCountOf(profile, end);
    out.push({ startMs: start, durationMs: end - start, count: sentBy - sentBefore });
    sentBefore = sentBy;
  }
  return out;
}

/**
 * The pacing arguments of one segment: `count` requests per segment length, and a duration half
 * a period longer, so that a pacer a little late still sends all `count` (the targets run out
 * after `count`: any later tick sends nothing).
 */
export function segmentPacing(segment: VegetaSegment): string[] {
  const lengthUs = Math.max(1, Math.round(segment.durationMs * 1000));
  const slackUs = Math.round(lengthUs / segment.count / 2);
  return [`-rate=${segment.count}/${lengthUs}us`, `-duration=${lengthUs + slackUs}us`];
}
