/**
 * The analysis loop on the real local mesh and load generator: relative SLOs judged on the
 * recorder's histograms of the same windows, and early abort stopping a step at once.
 */
import { describe, expect, it } from 'vitest';
import { runFile } from '../../support/runner-harness.js';

describe('analysis on the local mesh', () => {
  it('fails a canary 3x slower with 10% errors on both relative SLOs, with intervals, and rolls back at step 1', async () => {
    const { out, seen } = await runFile('test/fixtures/runner/relative-slower.yaml');
    const r = out.result;
    expect(r.outcome).toBe('rolled-back');
    expect(r.steps).toHaveLength(1);
    const [latency, errors] = r.steps[0]!.checks;
    expect(latency).toMatchObject({ kind: 'relative-latency', verdict: 'fail', threshold: 0.1 });
    // Backend medians 15 ms against 5 ms; measured from the send time (mesh hop and client
    // scheduling added to both) the shift is +70…+200% of the stable median, depending on load.
    expect(latency!.value!).toBeGreaterThan(0.3);
    expect(latency!.interval!.low).toBeGreaterThan(0.1);
    expect(errors).toMatchObject({ kind: 'relative-error-rate', verdict: 'fail' });
    expect(errors!.interval!.low).toBeGreaterThan(0);
    expect(r.summary).toMatch(/^Rolled back at step 1 \(canary 50%\): canary-vs-stable-latency was \+\d+\.\d% against a \+10\.0% max/);
    expect(seen.final).toEqual(seen.initial);
  });

  it('passes relative SLOs when canary and stable behave the same', async () => {
    const { out } = await runFile('test/fixtures/runner/relative-same.yaml');
    const checks = out.result.steps[0]!.checks;
    expect(checks.map((c) => [c.kind, c.verdict])).toEqual([
      ['relative-latency', 'pass'],
      ['relative-error-rate', 'pass'],
    ]);
    expect(checks[0]!.samples).toBeGreaterThan(400);
    expect(Math.abs(checks[0]!.value!)).toBeLessThan(0.25);
    expect(out.result.outcome).toBe('passed');
  });

  it('stops a step at once on an abortWhen condition and rolls back whatever the threshold', async () => {
    const started = Date.now();
    const { out, seen } = await runFile('test/fixtures/runner/early-abort.yaml');
    const r = out.result;
    expect(r.outcome).toBe('rolled-back');
    expect(r.steps).toHaveLength(1);
    const step = r.steps[0]!;
    expect(step.abortedEarly).toBe(true);
    expect(step.checks[0]).toMatchObject({ name: 'early-abort-canary-error-rate', critical: true, verdict: 'fail' });
    expect(step.checks[0]!.message).toMatch(/^early abort: canary error rate \d+\.\d+% > 20\.00% max/);
    // The 12 s step ended as soon as 20 canary requests were in (about half a second at 50 req/s).
    expect(step.endedAt - step.startedAt).toBeLessThan(6_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.events.some((e) => e.message.includes('early abort') && e.message.includes('stopping the step'))).toBe(true);
    expect(seen.final).toEqual(seen.initial);
  });
});

describe('A/A mode on the local mesh', () => {
  it('judges two random halves of the stable against each other in every window, counts false alarms, never rolls back', async () => {
    const { out, seen } = await runFile('test/fixtures/runner/aa-strict.yaml', { aa: { windows: 3, windowMs: 1500, seed: 42 } });
    const r = out.result;
    expect(r.outcome).toBe('passed');
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => [s.label, s.canaryWeight, s.decision])).toEqual([
      ['A/A window 1/3', 0, 'continue'],
      ['A/A window 2/3', 0, 'continue'],
      ['A/A window 3/3', 0, 'complete'],
    ]);
    for (const step of r.steps) {
      const count = (v: string) => step.stats.find((s) => s.version === v)?.count ?? 0;
      // Canary weight 0: the canary serves nothing; the stable's requests split about evenly.
      expect(count('v2')).toBe(0);
      expect(count('v1')).toBe(0);
      const a = count('v1:A');
      const b = count('v1:B');
      expect(a + b).toBeGreaterThan(200);
      expect(Math.abs(a - b) / (a + b)).toBeLessThan(0.2);
      expect(step.checks.map((c) => c.kind)).toEqual(['relative-latency', 'latency']);
      expect(step.checks[1]!.verdict).toBe('fail');
    }
    expect(r.aa).toMatchObject({ windows: 3, seed: 42, judged: 6 });
    expect(r.aa!.byCheck.map((c) => [c.name, c.judged, c.falseAlarms])).toEqual([
      ['canary-vs-stable-latency', 3, r.steps.filter((s) => s.checks[0]!.verdict === 'fail').length],
      ['canary-latency-p99', 3, 3],
    ]);
    expect(r.summary).toMatch(/^A\/A check: \d of 6 checks \(\d+\.\d%\) raised a false alarm over 3 windows of v1 against itself \(canary-vs-stable-latency \d\/3; canary-latency-p99 3\/3\); the mesh was restored\.$/);
    expect(seen.final).toEqual(seen.initial);
  });
});
