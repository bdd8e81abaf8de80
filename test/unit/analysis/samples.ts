/**
 * Seeded latency samples for analysis tests (not shipped behaviour): log-normal like a service's
 * latency, as weighted samples the way the recorder's histograms give them.
 */
import { createSeededRandom } from '../../../src/seeded-random.js';
import { weightedFromValues, type WeightedSample } from '../../../src/analysis/stats/weighted-sample.js';

/** Seeded PRNG (mulberry32): the same cases on every run. */
export const rng = createSeededRandom;

/** A standard normal deviate (Box-Muller). */
export function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** `n` log-normal latencies (ms) with the given median and σ of the log, rounded to 1 µs like the recorder. */
export function lognormal(r: () => number, n: number, medianMs: number, sigma = 0.5): number[] {
  return Array.from({ length: n }, () => Math.round(medianMs * Math.exp(sigma * gaussian(r)) * 1000) / 1000);
}

/** {@link lognormal} as a weighted sample. */
export function lognormalSample(r: () => number, n: number, medianMs: number, sigma = 0.5): WeightedSample {
  return weightedFromValues(lognormal(r, n, medianMs, sigma));
}
