/**
 * Seeded simulated request streams for the sequential tests' unit tests (src/analysis/sequential/):
 * binomial failure counts and log-normal latencies bucketed like a histogram, all from
 * `createSeededRandom` so every run of a test sees the same draws.
 */
import { normalQuantile } from '../../src/analysis/stats/normal.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/** A seeded source of the draws the tests need. */
export interface SeededStreams {
  /** Failures among `n` requests failing independently with probability `p`. */
  binomial(n: number, p: number): number;
  /** `n` log-normal latencies (ms) with median `medianMs` and log-scale `sigma`, as sparse ascending buckets. */
  latencyBuckets(n: number, medianMs: number, sigma: number): { index: number[]; count: number[] };
}

/** Bucket key of a latency: 1%-wide buckets on a log scale (like HDR's 3 significant digits, coarser). */
export const bucketKeyOf = (ms: number): number => Math.round(Math.log(ms) * 100);

/** Creates the streams for `seed`. */
export function createSeededStreams(seed: number): SeededStreams {
  const random = createSeededRandom(seed);
  const normal = () => {
    // Box–Muller; 1 − u keeps the log away from 0.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return {
    binomial(n, p) {
      let x = 0;
      for (let i = 0; i < n; i++) if (random() < p) x++;
      return x;
    },
    latencyBuckets(n, medianMs, sigma) {
      const counts = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const key = bucketKeyOf(medianMs * Math.exp(sigma * normal()));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const index = [...counts.keys()].sort((a, b) => a - b);
      return { index, count: index.map((k) => counts.get(k)!) };
    },
  };
}

/** `n` latencies (ms) at evenly spaced quantiles of a log-normal with median `medianMs` and log-scale `sigma` (a population to draw from). */
export function logNormalQuantiles(n: number, medianMs: number, sigma: number): number[] {
  return Array.from({ length: n }, (_, i) => medianMs * Math.exp(sigma * normalQuantile((i + 0.5) / n)));
}

/** The most false alarms (a share of `runs`) a level-α procedure may show in a seeded simulation: α + 5σ of the share. */
export const falseAlarmBound = (alpha: number, runs: number): number => alpha + 5 * Math.sqrt((alpha * (1 - alpha)) / runs);
