import { describe, expect, it } from 'vitest';
import { createOddsRatioEProcess } from './odds-ratio-e-process.js';

const choose = (n: number, k: number): number => {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
};

/** P(x) of the central hypergeometric: x canary events when `events` fall among n canary and m stable trials. */
const central = (x: number, n: number, m: number, events: number) => (choose(n, x) * choose(m, events - x)) / choose(n + m, events);

describe('conditional odds-ratio e-process', () => {
  it('one grid point gives the closed form: 3 of 3 canary and 0 of 3 stable at ψ = 2 → 20·8/63', () => {
    // P_ψ(3) = ψ³ / (1 + 9ψ + 9ψ² + ψ³) against 1/20 at ψ = 1; the single grid point sits at 2τ.
    const p = createOddsRatioEProcess({ gridPoints: 1, priorScale: Math.log(2) / 2 });
    expect(p.update(3, 3, 0, 3)).toBeCloseTo(160 / 63, 12);
    // A second, uninformative table (no events: one possible table) leaves it as it was.
    expect(p.update(0, 5, 0, 5)).toBeCloseTo(160 / 63, 12);
  });

  it('has mean exactly 1 over a table under the null, for several margins (a martingale, not just a bound)', () => {
    for (const [n, m, events] of [[10, 10, 3], [7, 30, 12], [50, 5, 20], [1, 1, 1]] as const) {
      let mean = 0;
      for (let x = Math.max(0, events - m); x <= Math.min(n, events); x++) {
        mean += central(x, n, m, events) * createOddsRatioEProcess().update(x, n, events - x, m);
      }
      expect(mean).toBeCloseTo(1, 10);
    }
  });

  it('under a null beyond ψ₀ (here ψ = 0.5 against ψ₀ = 1, side greater) its mean is below 1', () => {
    const [n, m, events] = [20, 20, 10];
    const weights = Array.from({ length: events + 1 }, (_, x) => choose(n, x) * choose(m, events - x) * 0.5 ** x);
    const z = weights.reduce((a, b) => a + b, 0);
    const mean = weights.reduce((a, w, x) => a + (w / z) * createOddsRatioEProcess().update(x, n, events - x, m), 0);
    expect(mean).toBeLessThan(1);
  });

  it('mirrors: side less on swapped arms equals side greater', () => {
    const g = createOddsRatioEProcess({ side: 'greater' });
    const l = createOddsRatioEProcess({ side: 'less' });
    for (const [x, n, y, m] of [[5, 40, 1, 60], [3, 10, 0, 12], [0, 8, 4, 9]] as const) {
      expect(g.update(x, n, y, m)).toBeCloseTo(l.update(y, m, x, n), 10);
    }
  });

  it('grows on a clear regression and shrinks toward 0 on the opposite', () => {
    const worse = createOddsRatioEProcess();
    const better = createOddsRatioEProcess();
    for (let t = 0; t < 10; t++) {
      worse.update(8, 100, 1, 100);
      better.update(1, 100, 8, 100);
    }
    expect(worse.eValue()).toBeGreaterThan(1e6);
    expect(better.eValue()).toBeLessThan(0.05);
  });

  it('stays finite on big tables (the overflow-safe path) and rejects impossible ones', () => {
    const p = createOddsRatioEProcess({ priorScale: 2 });
    expect(Number.isFinite(p.update(600, 2000, 500, 2000))).toBe(true);
    expect(() => p.update(3, 2, 0, 2)).toThrow(RangeError);
    expect(() => p.update(1.5, 2, 0, 2)).toThrow(RangeError);
  });
});
