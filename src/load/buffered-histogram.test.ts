import { describe, expect, it } from 'vitest';
import type { JsHistogram } from 'hdr-histogram-js';
import { createSeededRandom } from '../seeded-random.js';
import { createBufferedHistogram } from './buffered-histogram.js';
import { createTotalHistogram, distributionMs, HIGHEST_TRACKABLE_MICROS } from './latency-histogram.js';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

/** Everything the recorder and reports read of a histogram, bucket-equivalent values included. */
function figures(h: JsHistogram) {
  return {
    totalCount: h.totalCount,
    percentiles: PERCENTILES.map((p) => h.getValueAtPercentile(p)),
    mean: h.mean,
    stdDeviation: h.stdDeviation,
    max: h.highestEquivalentValue(h.maxValue),
    min: h.lowestEquivalentValue(h.minNonZeroValue),
    distribution: distributionMs(h),
  };
}

describe('createBufferedHistogram', () => {
  it('is null until a value is recorded', () => {
    expect(createBufferedHistogram().histogram()).toBeNull();
  });

  it('gives the same histogram as hdr-histogram-js fed value by value, across reads between records', () => {
    for (const seed of [1, 2, 3]) {
      const random = createSeededRandom(seed);
      const buffered = createBufferedHistogram();
      const reference = createTotalHistogram() as JsHistogram;
      // Zero, the range's ends, heavy-tailed latencies and many repeats of a few values.
      const draw = (): number => {
        const r = random();
        if (r < 0.02) return 0;
        if (r < 0.03) return HIGHEST_TRACKABLE_MICROS;
        if (r < 0.04) return 1;
        if (r < 0.5) return Math.round(1000 + random() * 50);
        return Math.min(HIGHEST_TRACKABLE_MICROS, Math.round(Math.exp(random() * 20)));
      };
      for (const batch of [1, 10, 1000, 20_000]) {
        for (let i = 0; i < batch; i++) {
          const v = draw();
          buffered.record(v);
          reference.recordValue(v);
        }
        expect(figures(buffered.histogram() as JsHistogram)).toEqual(figures(reference));
      }
      // A read with nothing new pending changes nothing.
      expect(figures(buffered.histogram() as JsHistogram)).toEqual(figures(reference));
      buffered.destroy();
      reference.destroy();
    }
  });

  it('folds each touched bucket once, however many values it holds', () => {
    const buffered = createBufferedHistogram();
    for (let i = 0; i < 100_000; i++) buffered.record(2500);
    const h = buffered.histogram() as JsHistogram;
    expect(h.totalCount).toBe(100_000);
    expect(h.getCountAtIndex(h.countsArrayIndex(2500))).toBe(100_000);
    expect(h.getValueAtPercentile(50)).toBe(h.highestEquivalentValue(2500));
  });
});
