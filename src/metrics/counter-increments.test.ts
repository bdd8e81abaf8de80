import { describe, expect, it } from 'vitest';
import { createCounterIncrements, seriesKey } from './counter-increments.js';

const s = (code: string, value: number, pod = 'a') => ({ labels: { response_code: code, pod }, value });
const gains = (out: ReturnType<ReturnType<typeof createCounterIncrements>['update']>) => out?.map((g) => [g.labels['response_code'], g.labels['pod'], g.increment]);

describe('createCounterIncrements', () => {
  it('takes the first reading as the baseline and counts only what each series gains after it', () => {
    const c = createCounterIncrements();
    expect(c.update([s('200', 1000), s('503', 7)])).toBeUndefined();
    expect(gains(c.update([s('200', 1090), s('503', 17)]))).toEqual([['200', 'a', 90], ['503', 'a', 10]]);
    expect(gains(c.update([s('200', 1090), s('503', 17)]))).toEqual([['200', 'a', 0], ['503', 'a', 0]]);
  });

  it("counts a series born after the baseline whole (a version's first 5xx), not as a second baseline", () => {
    const c = createCounterIncrements();
    c.update([s('200', 50)]);
    expect(gains(c.update([s('200', 140), s('503', 12)]))).toEqual([['200', 'a', 90], ['503', 'a', 12]]);
  });

  it('reads a value below the last as a reset (a restarted proxy): the new value is the gain', () => {
    const c = createCounterIncrements();
    c.update([s('200', 500)]);
    expect(gains(c.update([s('200', 30)]))).toEqual([['200', 'a', 30]]);
    expect(gains(c.update([s('200', 45)]))).toEqual([['200', 'a', 15]]);
  });

  it('keeps the last value of a series missing from a reading, so its comeback counts only its gain', () => {
    const c = createCounterIncrements();
    c.update([s('200', 100), s('200', 10, 'b')]);
    expect(gains(c.update([s('200', 120)]))).toEqual([['200', 'a', 20]]);
    expect(gains(c.update([s('200', 130), s('200', 25, 'b')]))).toEqual([['200', 'a', 10], ['200', 'b', 15]]);
  });

  it('skips values that are no count (NaN, negative, infinite) and an empty first reading is still the baseline', () => {
    const c = createCounterIncrements();
    expect(c.update([])).toBeUndefined();
    expect(gains(c.update([s('200', Number.NaN), s('500', -1), s('200', 4, 'b')]))).toEqual([['200', 'b', 4]]);
  });

  it('knows a series by its labels whatever their order', () => {
    expect(seriesKey({ a: '1', b: '2' })).toBe(seriesKey({ b: '2', a: '1' }));
    expect(seriesKey({ a: '1' })).not.toBe(seriesKey({ a: '2' }));
  });
});
