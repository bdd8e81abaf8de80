/**
 * The added-latency goals, judged on per-round paired differences (latency-rounds.ts): in round r,
 * added(x) = p99(x) − p99(direct), and for the relative goal D = added(mesh) − k × added(HAProxy 1t)
 * (defined even when HAProxy's added p99 is near 0, unlike a ratio). The verdict rests on the
 * median over rounds and its distribution-free 95% interval (median-interval.ts): met when the
 * whole interval is on the right side of the bound, missed when it is all on the wrong side.
 * A window the machine stalled (its p99 many times its target's usual) spoils its round's D
 * whichever target it hit; the median moves one rank for it, and the windows are counted per
 * target so a proxy that stalls more often than the others shows. The pooled bootstrap
 * (added-bootstrap.ts), where every stalled window weighs in full, is shown beside it.
 */
import { bootstrapAdded, type AddedBootstrap } from './added-bootstrap.js';
import type { FixedRateResult } from './fixed-rate.js';
import { pairedAdded } from './latency-rounds.js';
import { medianInterval, type MedianInterval } from './median-interval.js';

/** A window whose p99 exceeds this multiple of its target's median window p99 counts as stalled. */
export const STALL_FACTOR = 5;

/** What {@link judgeAdded} found. */
export interface AddedJudgement {
  /** Per-round mesh added p99, ms. */
  mesh: MedianInterval;
  /** Per-round HAProxy 1t added p99, ms. */
  reference: MedianInterval;
  /** Per-round mesh − k × HAProxy 1t, ms. */
  difference: MedianInterval;
  /** k. */
  k: number;
  /** Stalled windows per target (direct, mesh, reference), each of `rounds`. */
  stalled: { direct: number; mesh: number; reference: number };
  /** The pooled bootstrap, when the raw latencies were kept. */
  pooled: AddedBootstrap | undefined;
}

/** Verdict of "value < bound" (or ≤) on an interval. */
export type Verdict = 'met' | 'missed' | 'inconclusive';

/** Judges "median below `bound`" on `m`; an interval without coverage (too few rounds) is inconclusive. */
export function belowBound(m: MedianInterval, bound: number): Verdict {
  if (Number.isNaN(m.coverage)) return 'inconclusive';
  if (m.high <= bound) return 'met';
  if (m.low > bound) return 'missed';
  return 'inconclusive';
}

const stalledWindows = (rounds: readonly FixedRateResult[]) => {
  const usual = medianInterval(rounds.map((r) => r.p99Ms)).median;
  return rounds.filter((r) => r.p99Ms > STALL_FACTOR * usual).length;
};

/** Judges the rounds of direct, the mesh and the reference proxy (same number of rounds each). */
export function judgeAdded(direct: readonly FixedRateResult[], mesh: readonly FixedRateResult[], reference: readonly FixedRateResult[], k: number): AddedJudgement | undefined {
  const m = pairedAdded([...mesh], [...direct], 'p99Ms');
  const h = pairedAdded([...reference], [...direct], 'p99Ms');
  if (m === undefined || h === undefined || m.values.length !== h.values.length) return undefined;
  const raw = (rounds: readonly FixedRateResult[]) => rounds.map((r) => r.latencies);
  const complete = [direct, mesh, reference].every((t) => t.length === direct.length && t.every((r) => r.latencies.length > 0));
  return {
    mesh: medianInterval(m.values),
    reference: medianInterval(h.values),
    difference: medianInterval(m.values.map((x, i) => x - k * h.values[i]!)),
    k,
    stalled: { direct: stalledWindows(direct), mesh: stalledWindows(mesh), reference: stalledWindows(reference) },
    pooled: complete ? bootstrapAdded({ direct: raw(direct), mesh: raw(mesh), reference: raw(reference), k }) : undefined,
  };
}
