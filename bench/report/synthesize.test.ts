import { describe, expect, it } from 'vitest';
import { runResultSchema } from '../../src/model/result-schema.js';
import { synthesizeRun } from './synthesize.js';

describe('synthesizeRun (bench/report)', () => {
  // A short version of the benchmark's run: six 3-second steps at 1,000 req/s.
  const result = synthesizeRun({ stepSeconds: 3 });

  it('is a RunResult the reports accept: schema-valid, six steps, promoted', () => {
    expect(runResultSchema.parse(result)).toEqual(result);
    expect(result.steps.map((s) => s.canaryWeight)).toEqual([5, 10, 25, 50, 75, 100]);
    expect(result.outcome).toBe('promoted');
    expect(result.steps.every((s) => s.checks.length === 4)).toBe(true);
  });

  it('records every request: one timeline point per second per version, counts adding up to the rate', () => {
    for (const step of result.steps) {
      const all = step.timeline.filter((p) => p.version === 'all');
      // Steps start off the second, as real ones do, so 3 s touch 4 one-second windows.
      expect(all).toHaveLength(Math.ceil(step.endedAt / 1000) - Math.floor(step.startedAt / 1000));
      expect(all.reduce((n, p) => n + p.count, 0)).toBe(3000);
      expect(step.stats.find((s) => s.version === 'all')!.count).toBe(3000);
    }
  });

  it("merges seconds into the runner's wider points for a long run: counts add up, percentiles stay HDR's", () => {
    // 6 × 10 minutes planned: one point per 3 s (src/model/timeline.ts); 30 s at 100 req/s per step here.
    const long = synthesizeRun({ stepSeconds: 600, rate: 10 });
    for (const step of long.steps) {
      expect(step.timelineSeconds).toBe(3);
      const all = step.timeline.filter((p) => p.version === 'all');
      expect(all.every((p) => p.time % 3000 === 0)).toBe(true);
      expect(all.reduce((n, p) => n + p.count, 0)).toBe(6000);
    }
    expect(result.steps.every((s) => s.timelineSeconds === undefined)).toBe(true);
  });

  it('is the same run every time (seeded)', () => {
    expect(synthesizeRun({ stepSeconds: 3 })).toEqual(result);
  });
});
