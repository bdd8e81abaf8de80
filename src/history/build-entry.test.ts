import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { weightedFromValues } from '../analysis/stats/weighted-sample.js';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import { buildHistoryEntry, versionNames } from './build-entry.js';
import { historyEntrySchema } from './entry-schema.js';
import { bucketEdge } from './latency-buckets.js';

const root = path.resolve('/tmp/reports');

describe('buildHistoryEntry', () => {
  it('summarises a result: relative run dir, stable and canary of the last step, per-check verdicts, overall counts', () => {
    const result = loadRunResult();
    const entry = buildHistoryEntry({ result, runDir: path.join(root, 'reviews-canary-20250514-093000'), reportsRoot: root });
    expect(historyEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toMatchObject({ runDir: 'reviews-canary-20250514-093000', experiment: 'reviews-canary', outcome: 'rolled-back', steps: 2, durationMs: result.endedAt - result.startedAt });
    expect(entry.lastStep).toMatchObject({ stable: { version: 'v1', count: 1481, errors: 2, p99: 19.4 }, canary: { version: 'v3', count: 512, errors: 3, p99: 412.3 } });
    const counts = result.steps.map((s) => s.stats.find((v) => v.version === 'v3')!);
    expect(entry.overall.canary).toMatchObject({ count: counts.reduce((a, s) => a + s.count, 0), errors: counts.reduce((a, s) => a + s.errors, 0), p50: null, p99: null });
    expect(entry.checks.map((c) => c.name)).toEqual(['canary-error-rate', 'canary-latency-p99', 'overall errors']);
    expect(entry.checks.find((c) => c.name === 'canary-latency-p99')).toEqual({ name: 'canary-latency-p99', verdict: 'fail', failedSteps: 1 });
    expect(entry.latency).toBeUndefined();
  });

  it('keeps the last step\'s distributions as buckets and takes overall percentiles from every step\'s', () => {
    const result = loadRunResult();
    const step = (values: number[]) => new Map([['v3', weightedFromValues(values)], ['v1', weightedFromValues([10, 11, 12])]]);
    const distributions = new Map([
      [0, step(Array.from({ length: 100 }, () => 10))],
      [1, step(Array.from({ length: 100 }, () => 100))],
    ]);
    const entry = buildHistoryEntry({ result, runDir: path.join(root, 'r'), reportsRoot: root, distributions, gameDay: { name: 'Q4 <day>', dir: path.join(root, 'gd') } });
    expect(entry.latency!.canary).toEqual({ values: [bucketEdge(100)], counts: [100] });
    expect(bucketEdge(100) / 100).toBeLessThan(1.01);
    expect(entry.latency!.stable!.counts).toEqual([1, 1, 1]);
    expect(entry.overall.canary.p50).toBeCloseTo(10, 1);
    expect(entry.overall.canary.p99).toBeCloseTo(100, 0);
    expect(entry.gameDay).toEqual({ name: 'Q4 <day>', dir: 'gd' });
  });

  it('names the A/A halves as the run judged them', () => {
    const result = { ...loadRunResult(), aa: { windows: 1, seed: 1, judged: 0, falseAlarms: 0, rate: null, byCheck: [] } };
    expect(versionNames(result)).toEqual({ stable: 'v1:A', canary: 'v1:B' });
    expect(buildHistoryEntry({ result, runDir: path.join(root, 'aa'), reportsRoot: root }).aa).toBe(true);
  });
});
