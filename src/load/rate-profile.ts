/**
 * The arrival-rate profile of a load window (`load.stages`), shared by the built-in generator, the
 * vegeta generator, the progress line and the plan output: the rate at a time, the cumulative
 * arrivals Λ(t) (its integral) and the inverse that gives the k-th arrival's intended time.
 *
 * Semantics (k6's ramping-arrival-rate): the rate starts at `startRate`; each stage ramps linearly
 * from the rate before it to its own `rate` over its `durationMs`; after the last stage its rate
 * holds. No stages: the constant `startRate`. Arrival k (k = 0, 1, …) is due at
 * T_k = sup{t : Λ(t) ≤ k}, so a constant rate r gives k / r exactly, a stretch at rate 0 sends
 * nothing (an arrival waits for the end of the zero stretch), and a window of length D holds
 * exactly ceil(Λ(D)) arrivals.
 */
import type { LoadSpec } from '../experiment/schema.js';
import { formatDuration } from '../input/units.js';
import type { LoadPlan, RateProfile } from './types.js';

/** One piece of the profile: a linear ramp from `r0` to `r1` (per second) over [t0, t1) ms. */
interface Piece {
  t0: number;
  t1: number;
  r0: number;
  r1: number;
  /** Λ(t0): arrivals before the piece. */
  before: number;
}

// Float noise (e.g. 2000 * 0.3) must not add a phantom arrival at the end of a window.
const EPSILON = 1e-9;

/** A profile holding `rate` from the start (what a plain `load.rate` means). */
export function constantProfile(rate: number): RateProfile {
  return { startRate: rate, stages: [] };
}

/** The rate fields of a load plan from the spec: `load.rate`, or the profile of `load.stages`. */
export function loadRateOf(load: Pick<LoadSpec, 'rate' | 'stages' | 'startRate'>): Pick<LoadPlan, 'rate' | 'profile'> {
  if (!load.stages) return { rate: load.rate };
  const startRate = load.startRate ?? 0;
  return { rate: startRate, profile: { startRate, stages: load.stages.map((s) => ({ rate: s.rate, durationMs: s.duration })) } };
}

/** The highest arrival rate of a load: the constant rate, or the profile's highest stage (or start). */
export function peakRateOf({ rate, profile }: Pick<LoadPlan, 'rate' | 'profile'>): number {
  return profile ? Math.max(profile.startRate, ...profile.stages.map((s) => s.rate)) : rate;
}

/** The rate in words, e.g. "50 req/s" or "ramp 0 → 100 req/s over 10s, 100 req/s for 5s, then holds 100 req/s". */
export function describeRate({ rate, profile }: Pick<LoadPlan, 'rate' | 'profile'>): string {
  if (!profile) return `${rate} req/s`;
  let before = profile.startRate;
  const parts = profile.stages.map((s) => {
    const text = s.rate === before ? `${s.rate} req/s for ${formatDuration(s.durationMs)}` : `${before} → ${s.rate} req/s over ${formatDuration(s.durationMs)}`;
    before = s.rate;
    return text;
  });
  return `stages ${parts.join(', ')}, then ${before} req/s (restarting each step)`;
}

/** Total length of the stages, ms (after it the last rate holds). */
export function profileDurationMs(profile: RateProfile): number {
  return profile.stages.reduce((sum, s) => sum + s.durationMs, 0);
}

/** The pieces of `profile`, ending with the held last rate up to infinity. */
function piecesOf(profile: RateProfile): Piece[] {
  const pieces: Piece[] = [];
  let t = 0;
  let rate = profile.startRate;
  let before = 0;
  for (const stage of profile.stages) {
    if (stage.durationMs <= 0) {
      rate = stage.rate;
      continue;
    }
    pieces.push({ t0: t, t1: t + stage.durationMs, r0: rate, r1: stage.rate, before });
    before += ((rate + stage.rate) / 2) * (stage.durationMs / 1000);
    t += stage.durationMs;
    rate = stage.rate;
  }
  pieces.push({ t0: t, t1: Infinity, r0: rate, r1: rate, before });
  return pieces;
}

function rateIn(p: Piece, t: number): number {
  return p.r1 === p.r0 ? p.r0 : p.r0 + ((p.r1 - p.r0) * (t - p.t0)) / (p.t1 - p.t0);
}

function pieceAt(pieces: Piece[], t: number): Piece {
  return pieces.find((p) => t < p.t1) ?? pieces[pieces.length - 1]!;
}

/** Target arrival rate (per second) at `tMs` after the window's start. */
export function rateAt(profile: RateProfile, tMs: number): number {
  return rateIn(pieceAt(piecesOf(profile), Math.max(0, tMs)), Math.max(0, tMs));
}

function arrivalsIn(p: Piece, t: number): number {
  return p.before + ((p.r0 + rateIn(p, t)) / 2) * ((t - p.t0) / 1000);
}

/** Λ(tMs): arrivals the profile holds in [0, tMs] (a real number). */
export function arrivalsBy(profile: RateProfile, tMs: number): number {
  const t = Math.max(0, tMs);
  return arrivalsIn(pieceAt(piecesOf(profile), t), t);
}

/** Arrivals due in [0, durationMs): ceil(Λ(durationMs)), the exact count a window sends. */
export function arrivalCountOf(profile: RateProfile, durationMs: number): number {
  return Math.max(0, Math.ceil(arrivalsBy(profile, durationMs) - EPSILON));
}

/** Mean target rate (per second) over [fromMs, toMs). */
export function meanRate(profile: RateProfile, fromMs: number, toMs: number): number {
  return toMs > fromMs ? (arrivalsBy(profile, toMs) - arrivalsBy(profile, fromMs)) / ((toMs - fromMs) / 1000) : rateAt(profile, fromMs);
}

/** Offset (ms from the piece's start) where Λ reaches `before + c` inside `p` (c >= 0). */
function solve(p: Piece, c: number): number {
  if (c <= 0) return 0;
  // Λ(t0 + u) - before = r0·u + a·u² (u in s); the root written so that a = 0 or r0 = 0 is exact.
  const a = p.r1 === p.r0 ? 0 : (p.r1 - p.r0) / (2 * ((p.t1 - p.t0) / 1000));
  const disc = Math.max(0, p.r0 * p.r0 + 4 * a * c);
  return ((2 * c) / (p.r0 + Math.sqrt(disc))) * 1000;
}

/**
 * Intended times of arrivals 0, 1, 2, … in order (ms after the window's start), computed in O(1)
 * amortized each: `next()` returns T_k for the next k, Infinity once the profile holds no more.
 */
export interface ArrivalTimes {
  /** T_k of the next arrival k (k starts at 0). */
  next(): number;
}

/** Creates the arrival-time cursor of `profile`. */
export function createArrivalTimes(profile: RateProfile): ArrivalTimes {
  const pieces = piecesOf(profile);
  let i = 0;
  let k = 0;
  // A constant profile: exactly k / rate, the schedule the built-in generator always had.
  const constant = pieces.length === 1 ? 1000 / profile.startRate : undefined;
  return {
    next() {
      const target = k++;
      if (constant !== undefined) return Number.isFinite(constant) ? target * constant : Infinity;
      // The piece where Λ first exceeds k (sup convention: a zero-rate stretch is skipped).
      while (i < pieces.length - 1 && arrivalsIn(pieces[i]!, pieces[i]!.t1) <= target) i++;
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.r0 === 0) return Infinity;
      return p.t0 + solve(p, target - p.before);
    },
  };
}
