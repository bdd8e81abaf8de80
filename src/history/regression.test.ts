import { describe, expect, it } from 'vitest';
import { historyEntry, seededRun, figures } from '../../test/support/history-entries.js';
import { compareRuns, DEFAULT_REGRESSION_SETTINGS, describeRegressionTest, findRegressions } from './regression.js';

describe('regression between consecutive runs', () => {
  it('flags a real 25% latency regression (p99 +25%) in every one of 100 seeded trials', () => {
    let flagged = 0;
    for (let t = 0; t < 100; t++) {
      const before = seededRun(1000 + t, 1);
      const after = seededRun(5000 + t, 2, { scale: 1.25 });
      // Every latency ×1.25, so the population p99 is 25% higher (a sample p99 of 500 requests is too noisy to assert on).
      const check = compareRuns(after, before);
      if (check.latency.verdict === 'regression') flagged++;
      expect(check.latency.change).toBeGreaterThan(0.1);
    }
    expect(flagged).toBe(100);
  });

  it('does not flag A/A noise above the stated α: 1000 seeded pairs from one distribution, latency and errors', () => {
    const settings = { ...DEFAULT_REGRESSION_SETTINGS, minLatencyShift: 0 }; // the test's level alone, no practical minimum
    const trials = 1000;
    let flagged = 0;
    let pBelowTenth = 0;
    for (let t = 0; t < trials; t++) {
      const check = compareRuns(seededRun(20_000 + t, 2, { errorP: 0.02 }), seededRun(90_000 + t, 1, { errorP: 0.02 }), settings);
      if (check.regressed) flagged++;
      if (check.latency.p! < 0.1) pBelowTenth++;
    }
    const alpha = settings.alpha;
    // Bound: the expected trials·α plus 5 binomial standard deviations.
    expect(flagged).toBeLessThanOrEqual(trials * alpha + 5 * Math.sqrt(trials * alpha * (1 - alpha)));
    // The p-values are calibrated, not merely tiny or huge: P(p < 0.1) ≈ 0.1 within 5 standard deviations.
    expect(Math.abs(pBelowTenth / trials - 0.1)).toBeLessThan(5 * Math.sqrt((0.1 * 0.9) / trials));
  });

  it('flags an error rate rising from 1% to 5% and says no-data without enough requests or without buckets', () => {
    const before = seededRun(1, 1, { n: 1000, errorP: 0.01 });
    const after = seededRun(2, 2, { n: 1000, errorP: 0.05 });
    const check = compareRuns(after, before);
    expect(check.errorRate.verdict).toBe('regression');
    expect(check.errorRate.interval!.lower).toBeGreaterThan(0);
    expect(check.regressed).toBe(true);
    const { latency: _dropped, ...partial } = after;
    expect(compareRuns(partial, before).latency).toMatchObject({ verdict: 'no-data', note: 'no latency distribution kept in this run' });
    const few = historyEntry('x', 3, { lastStep: { label: 's', stable: figures('v1'), canary: figures('v2', { count: 5, errors: 5 }) } });
    expect(compareRuns(few, historyEntry('x', 2)).errorRate.verdict).toBe('no-data');
  });

  it('does not flag a significant but small shift below the practical minimum (5%)', () => {
    const before = seededRun(7, 1, { n: 20_000 });
    const after = seededRun(8, 2, { n: 20_000, scale: 1.03 });
    const check = compareRuns(after, before);
    expect(check.latency.p).toBeLessThan(0.005);
    expect(check.latency.verdict).toBe('ok');
  });

  it('compares each run with the previous run of its own experiment, by start time, A/A runs apart', () => {
    const a1 = historyEntry('a', 1);
    const b1 = historyEntry('b', 2);
    const a2 = historyEntry('a', 3);
    const aa = historyEntry('a', 2, { aa: true, runDir: 'aa' });
    const checks = findRegressions([a2, b1, a1, aa]);
    expect(checks.has(a1)).toBe(false);
    expect(checks.has(b1)).toBe(false);
    expect(checks.has(aa)).toBe(false);
    expect(checks.get(a2)!.previousRunDir).toBe(a1.runDir);
    // Judging only the shown runs still compares them with runs that are not shown.
    expect([...findRegressions([a1, a2], undefined, new Set([a2])).keys()]).toEqual([a2]);
  });

  it('states its tests and levels', () => {
    expect(describeRegressionTest()).toMatch(/Mann-Whitney U.*α = 0\.005.*Newcombe.*family-wise α = 0\.01/);
  });
});
