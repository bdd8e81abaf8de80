import { describe, expect, it } from 'vitest';
import { logNormalQuantiles } from '../../test/support/seeded-streams.js';
import { renderSequentialSection, runSequentialCases } from './sequential-cases.js';
import { simulateSequential } from './sequential.js';

// A log-normal population (median 5 ms, σ 0.5) at evenly spaced quantiles, without capture data.
const population = logNormalQuantiles(2000, 5, 0.5);

describe('bench/stats sequential simulation', () => {
  it('rolls a canary with 5% errors (stable 0.5%) back early, and the fixed test fails it at the end', () => {
    const r = simulateSequential(population, { perSecond: 50, seconds: 20, stableErrorRate: 0.005, canaryErrorRate: 0.05, peekEvery: 0, trials: 5, seed: 1 });
    expect(r.rollbackSeconds['relative error rate'].length).toBe(5);
    expect(r.rollbackSeconds['error rate ≤ 1%'].length).toBe(5);
    expect(Math.max(...r.anyRollbackSeconds)).toBeLessThanOrEqual(20);
    expect(r.fixedErrorRateAtEnd).toBe(5);
  });

  it('runs the oracle SPRT only when the rates differ, and it is never slower in total than the mixture on the same draws', () => {
    const bad = simulateSequential(population, { perSecond: 50, seconds: 20, stableErrorRate: 0.005, canaryErrorRate: 0.05, peekEvery: 0, trials: 20, seed: 4 });
    expect(bad.oracleRollbackSeconds).toHaveLength(20);
    const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
    expect(sum(bad.oracleRollbackSeconds)).toBeLessThan(sum(bad.rollbackSeconds['relative error rate']));
    const same = simulateSequential(population, { perSecond: 50, seconds: 5, stableErrorRate: 0.01, peekEvery: 0, trials: 3, seed: 5 });
    expect(same.oracleRollbackSeconds).toEqual([]);
  });

  it('is repeatable by seed', () => {
    const c = { perSecond: 20, seconds: 10, slowdown: 1.25, peekEvery: 5, trials: 3, seed: 2 };
    expect(simulateSequential(population, c)).toEqual(simulateSequential(population, c));
  });
});

describe('bench/stats sequential cases and section', () => {
  it('runs the four cases and renders a row per test each is about, with peeked figures only for the A/A step row', () => {
    const rows = runSequentialCases('test', population, 1, 3);
    expect(rows.map((r) => r.name)).toEqual(['A/A', '5% errors vs 0.5%', 'latency ×1.1', 'latency ×1.25']);
    const md = renderSequentialSection(rows);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| test |'));
    // A/A: three tests and "any"; 5% errors: two and the oracle bound; each latency case: one.
    expect(tableRows).toHaveLength(9);
    expect(tableRows[6]).toMatch(/oracle bound/);
    expect(tableRows[3]).toMatch(/any of the three/);
    expect(tableRows[3]).not.toMatch(/\| — \|$/);
    expect(tableRows[0]).toMatch(/\| — \|$/);
    expect(md).toMatch(/A\/A false alarms ≤ 1% per test/);
  });
});
