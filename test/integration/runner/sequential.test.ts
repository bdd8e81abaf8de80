/**
 * analysis.mode: sequential on the real local mesh and load generator (issue 22): a canary with 8%
 * errors stopped and rolled back seconds into a 60 s step, with the explanation in result.json;
 * a healthy canary with promoteEarly ending its 30 s step early as non-inferior and promoting;
 * and A/A windows where the tests run and report without stopping.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runResultSchema } from '../../../src/model/result-schema.js';
import { runFile } from '../../support/runner-harness.js';

describe('analysis.mode: sequential on the local mesh', () => {
  it('sequential-canary.yaml: stops the 60 s step at a certain regression of 8% errors and rolls back, explained', async () => {
    const started = Date.now();
    const { out, seen } = await runFile('experiments/sequential-canary.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('rolled-back');
    expect(r.steps).toHaveLength(1);
    const step = r.steps[0]!;
    expect(step).toMatchObject({ decision: 'rollback', endedEarly: 'regression' });
    // 8% against 0% at ~50 canary requests a second: certain within seconds, far before 60 s.
    expect(step.endedAt - step.startedAt).toBeLessThan(20_000);
    expect(Date.now() - started).toBeLessThan(28_000);
    const check = step.checks[0]!;
    expect(check).toMatchObject({ name: 'canary-vs-stable-error-rate-sequential', kind: 'sequential', verdict: 'fail', critical: true, threshold: 100 });
    expect(check.message).toMatch(/^canary vs stable error rate: certain regression after \d+ s \(e-value [\d,.]+ ≥ 100 = 1\/α; \d+ canary \/ [\d,]+ stable requests\); CS for canary − stable error rate: \[[+−]\d+\.\d\dpp, \+\d+\.\d\dpp\]$/);
    // The SLOs tested sequentially (all three here, the canary's p99 against its bound too) have no end-of-step check of their own.
    expect(step.checks.map((c) => c.name)).toEqual(['canary-vs-stable-error-rate-sequential', 'canary-vs-stable-latency-sequential', 'canary-latency-p99-sequential']);
    expect(step.checks[1]!.verdict).toBe('pass');
    expect(step.checks[2]!.verdict).toBe('pass');
    // result.json carries both traces, valid against its schema.
    const written = runResultSchema.parse(JSON.parse(await readFile(path.join(out.runDir, 'result.json'), 'utf8')));
    const traces = written.steps[0]!.sequential!;
    expect(traces.map((t) => [t.name, t.kind, t.decision])).toEqual([
      ['canary-vs-stable-error-rate', 'error-rate', 'regression'],
      ['canary-vs-stable-latency', 'latency', expect.not.stringMatching(/^regression$/)],
      ['canary-latency-p99', 'latency-bound', expect.not.stringMatching(/^regression$/)],
    ]);
    const errors = traces[0]!;
    expect(errors.alpha).toBe(0.01);
    expect(errors.crossedAt!).toBeLessThan(20);
    expect(errors.points.at(-1)!.eValue).toBeGreaterThanOrEqual(100);
    expect(errors.crossedAtSamples!.canary).toBeGreaterThan(0);
    // The messages's counts are the crossing's.
    expect(check.message).toContain(`${errors.crossedAtSamples!.canary} canary / ${errors.crossedAtSamples!.stable.toLocaleString('en-US')} stable requests`);
    expect(r.events.some((e) => /^step 1\/2: canary vs stable error rate: certain regression after .*; stopping the step and rolling back$/.test(e.message))).toBe(true);
    expect(seen.final).toEqual(seen.initial);
  }, 30_000);

  it('ends a healthy canary\'s 30 s step early as non-inferior with promoteEarly, and promotes', async () => {
    const { out, seen } = await runFile('test/fixtures/sequential/healthy-promote-early.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('promoted');
    const step = r.steps[0]!;
    expect(step).toMatchObject({ decision: 'promote', endedEarly: 'non-inferior' });
    expect(step.endedAt - step.startedAt).toBeLessThan(20_000);
    // Both SLOs are tested every second; the step ends once both are certain (the p99 one: under 1% of requests above 1 s).
    expect(step.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['canary-vs-stable-error-rate-sequential', 'pass'],
      ['canary-latency-p99-sequential', 'pass'],
    ]);
    expect(step.checks[1]!.message).toMatch(/^canary requests slower than 1000 ms against the 1% allowed: certainly within the bound after \d+ s/);
    expect(step.checks[0]!.message).toMatch(/^canary vs stable error rate: certainly non-inferior after \d+ s \(CS below the \+2\.00pp margin; [\d,]+ canary \/ [\d,]+ stable requests\)/);
    expect(step.sequential![0]).toMatchObject({ decision: 'non-inferior', kind: 'error-rate' });
    expect(r.events.some((e) => /^step 1\/1: every sequential test is certain of non-inferiority after \d+ s; ending the step early \(promoteEarly\)$/.test(e.message))).toBe(true);
    const main = seen.final!.spec.http!.find((h) => h.name === 'reviews-main')!;
    expect(main.route!.map((d) => [d.destination.subset, d.weight])).toEqual([
      ['v1', 0],
      ['v2', 100],
    ]);
  }, 30_000);

  it('in A/A mode runs the tests in every window without stopping, their checks counted as the others', async () => {
    const { out } = await runFile('test/fixtures/sequential/healthy-promote-early.yaml', { aa: { windows: 2, windowMs: 2000, seed: 7 } });
    const r = out.result;
    expect(r.outcome).toBe('passed');
    for (const step of r.steps) {
      expect(step.endedEarly).toBeUndefined();
      expect(step.endedAt - step.startedAt).toBeGreaterThanOrEqual(2000);
      expect(step.sequential![0]!.points.length).toBeGreaterThanOrEqual(2);
      expect(step.checks.map((c) => c.name)).toEqual(['canary-vs-stable-error-rate-sequential', 'canary-latency-p99-sequential', 'canary-vs-stable-error-rate', 'canary-latency-p99']);
    }
    expect(r.aa!.byCheck.map((c) => [c.name, c.judged])).toEqual([
      ['canary-vs-stable-error-rate-sequential', 2],
      ['canary-latency-p99-sequential', 2],
      ['canary-vs-stable-error-rate', 2],
      ['canary-latency-p99', 2],
    ]);
  }, 30_000);
});
