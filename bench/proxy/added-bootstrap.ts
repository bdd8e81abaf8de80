/**
 * How sure the benchmark is about added p99 latency: a paired bootstrap over rounds.
 *
 * A round measures every target once in the same phase of the machine, so the round, not the
 * request, is the unit that can be resampled: each bootstrap draw takes `rounds` round indices with
 * replacement, the same indices for every target (the pairing survives), pools each target's
 * latencies over the drawn rounds and computes
 *   added(x) = p99(x pooled) − p99(direct pooled).
 * The relative goal "mesh added p99 ≤ k × HAProxy's" is decided on D = added(mesh) − k·added(HAProxy),
 * not on the ratio: D is defined when HAProxy's added p99 is near 0 or negative, a ratio is not.
 * Met when the interval's upper end is ≤ 0, missed when its lower end is > 0, else inconclusive.
 */
import { createSeededRandom } from '../../src/seeded-random.js';
import { percentile } from './fixed-rate.js';

/** A percentile interval from the bootstrap. */
export interface Interval {
  /** Point estimate from all rounds pooled once. */
  estimate: number;
  /** Lower end. */
  low: number;
  /** Upper end. */
  high: number;
}

/** What {@link bootstrapAdded} found. */
export interface AddedBootstrap {
  /** Rounds resampled. */
  rounds: number;
  /** Bootstrap draws. */
  draws: number;
  /** Two-sided coverage of the intervals, e.g. 0.95. */
  level: number;
  /** Mesh added p99, ms. */
  mesh: Interval;
  /** HAProxy added p99, ms. */
  reference: Interval;
  /** mesh − k × reference, ms (the relative goal holds when ≤ 0). */
  difference: Interval;
  /** k of {@link difference}. */
  k: number;
}

/** Options of {@link bootstrapAdded}. */
export interface AddedBootstrapOptions {
  /** Per round, the direct connection's latencies, sorted ascending, ms. */
  direct: readonly (readonly number[])[];
  /** Per round, the mesh's latencies, sorted, ms. */
  mesh: readonly (readonly number[])[];
  /** Per round, the reference proxy's latencies, sorted, ms. */
  reference: readonly (readonly number[])[];
  /** The multiple in "mesh added ≤ k × reference added". */
  k: number;
  /** Quantile compared. @default 0.99 */
  q?: number;
  /** Draws. @default 2000 */
  draws?: number;
  /** Coverage. @default 0.95 */
  level?: number;
  /** Seed (the interval is reproducible from the raw result). @default 22 */
  seed?: number;
}

// Number of values ≤ x in sorted `a`.
function countAtMost(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Nearest-rank quantile of the multiset union of `rounds`, round i taken `weights[i]` times,
 * without building the union: binary search over `union` (every value of every round, sorted).
 */
export function weightedQuantile(rounds: readonly (readonly number[])[], weights: readonly number[], union: readonly number[], q: number): number {
  let total = 0;
  for (let i = 0; i < rounds.length; i++) total += weights[i]! * rounds[i]!.length;
  if (total === 0) return Number.NaN;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let lo = 0;
  let hi = union.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let n = 0;
    for (let i = 0; i < rounds.length; i++) if (weights[i]! > 0) n += weights[i]! * countAtMost(rounds[i]!, union[mid]!);
    if (n >= rank) hi = mid;
    else lo = mid + 1;
  }
  return union[lo]!;
}

const sortedUnion = (rounds: readonly (readonly number[])[]) => rounds.flat().sort((a, b) => a - b);

/** Paired round bootstrap of added p99 (see the module comment); throws when round counts differ or are 0. */
export function bootstrapAdded(o: AddedBootstrapOptions): AddedBootstrap {
  const r = o.direct.length;
  if (r === 0 || o.mesh.length !== r || o.reference.length !== r) {
    throw new Error(`bootstrapAdded needs the same number (> 0) of rounds per target: direct ${r}, mesh ${o.mesh.length}, reference ${o.reference.length}`);
  }
  const q = o.q ?? 0.99;
  const draws = o.draws ?? 2000;
  const level = o.level ?? 0.95;
  const unions = [o.direct, o.mesh, o.reference].map(sortedUnion);
  const quantiles = (w: number[]) => [o.direct, o.mesh, o.reference].map((rounds, i) => weightedQuantile(rounds, w, unions[i]!, q)) as [number, number, number];
  const point = quantiles(new Array<number>(r).fill(1));
  const random = createSeededRandom(o.seed ?? 22);
  const meshDraws: number[] = [];
  const refDraws: number[] = [];
  const diffDraws: number[] = [];
  for (let b = 0; b < draws; b++) {
    const w = new Array<number>(r).fill(0);
    for (let i = 0; i < r; i++) w[Math.floor(random() * r)]! += 1;
    const [d, m, h] = quantiles(w);
    meshDraws.push(m - d);
    refDraws.push(h - d);
    diffDraws.push(m - d - o.k * (h - d));
  }
  const alpha = (1 - level) / 2;
  const interval = (estimate: number, values: number[]): Interval => {
    const sorted = values.sort((a, b) => a - b);
    return { estimate, low: percentile(sorted, alpha), high: percentile(sorted, 1 - alpha) };
  };
  const [d0, m0, h0] = point;
  return {
    rounds: r,
    draws,
    level,
    k: o.k,
    mesh: interval(m0 - d0, meshDraws),
    reference: interval(h0 - d0, refDraws),
    difference: interval(m0 - d0 - o.k * (h0 - d0), diffDraws),
  };
}

/** "met", "missed" or "inconclusive" for a goal "value ≤ 0" judged on its interval. */
export function intervalVerdict(i: Interval): 'met' | 'missed' | 'inconclusive' {
  if (i.high <= 0) return 'met';
  if (i.low > 0) return 'missed';
  return 'inconclusive';
}
