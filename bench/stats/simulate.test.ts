import { describe, expect, it } from 'vitest';
import { naiveAlarm, simulate } from './simulate.js';

// A log-normal-ish population (median 5 ms) without capture data, to test the simulation itself.
const population = Array.from({ length: 5000 }, (_, i) => 5 * Math.exp(0.5 * Math.sqrt(2) * erfinv((2 * (i + 0.5)) / 5000 - 1)));
function erfinv(x: number): number {
  const a = 0.147;
  const l = Math.log(1 - x * x);
  const t = 2 / (Math.PI * a) + l / 2;
  return Math.sign(x) * Math.sqrt(Math.sqrt(t * t - l / a) - t);
}

describe('bench/stats simulation', () => {
  it('applies the naive rule as written', () => {
    expect(naiveAlarm(11.1, 10)).toBe(true);
    expect(naiveAlarm(11, 10)).toBe(false);
  });

  it('detects a 30% slowdown almost always at 1000 per version, and is repeatable by seed', () => {
    const r = simulate(population, { n: 1000, slowdown: 1.3, trials: 20, seed: 1 });
    expect(r.trials).toBe(20);
    expect(r.relativeAlarms).toBeGreaterThanOrEqual(19);
    expect(simulate(population, { n: 1000, slowdown: 1.3, trials: 20, seed: 1 })).toMatchObject({ relativeAlarms: r.relativeAlarms, naiveAlarms: r.naiveAlarms });
  });

  it('rarely alarms on A/A', () => {
    const r = simulate(population, { n: 1000, slowdown: 1, trials: 50, seed: 2 });
    expect(r.relativeAlarms).toBeLessThanOrEqual(3);
  });
});
