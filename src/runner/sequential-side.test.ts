import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import { experimentSpecSchema } from '../experiment/schema.js';
import type { Sample } from '../load/types.js';
import { createSequentialSide, type SequentialSideOptions } from './sequential-side.js';

/** The parsed analysis and SLOs of a spec written like an experiment file. */
function spec(analysis: object, slos: object[]) {
  const parsed = experimentSpecSchema.parse({
    target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
    traffic: { shift: { steps: [50] } },
    local: { manifests: ['./istio'] },
    analysis,
    slos,
  });
  return { analysis: parsed.analysis, slos: parsed.slos };
}

/** A side on a hand-turned clock, and a way to send one second of answers and look. */
function harness(options: Omit<SequentialSideOptions, 'stable' | 'canary' | 'startedAt' | 'now' | 'stopping'> & { stopping?: boolean }, seed = 1) {
  let now = 1_000_000;
  const side = createSequentialSide({ stopping: true, ...options, stable: 'v1', canary: 'v2', startedAt: now, now: () => now });
  const random = createSeededRandom(seed);
  const second = (perVersion: number, errorRate: { v1: number; v2: number }, latency = { v1: 5, v2: 5 }) => {
    for (const version of ['v1', 'v2'] as const) {
      for (let i = 0; i < perVersion; i++) {
        const failed = random() < errorRate[version];
        // Log-normal around the median, σ 0.5.
        const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        const s: Sample = { time: now, latencyMs: latency[version] * Math.exp(0.5 * z), status: failed ? 500 : 200, version };
        side!.record(s);
      }
    }
    now += 1000;
    side!.look();
  };
  return { side: side!, second, created: side };
}

describe('createSequentialSide', () => {
  it("is off in mode fixed, and tests the relative SLOs and the canary's absolute error-rate and latency SLOs", () => {
    const fixed = spec({}, [{ kind: 'relative-error-rate' }]);
    expect(harness(fixed).created).toBeUndefined();
    const seq = spec({ mode: 'sequential' }, [
      { kind: 'error-rate', max: '1%' },
      { kind: 'error-rate', subject: 'stable', max: '1%', name: 'stable-errors' },
      { kind: 'error-rate', max: '0%', name: 'no-errors' },
      { kind: 'latency', percentile: 'max', max: '1s', name: 'slowest' },
      { kind: 'latency', max: '1s', name: 'p99' },
      { kind: 'relative-latency' },
      { kind: 'relative-error-rate', name: 'errs' },
    ]);
    expect([...harness(seq).side.testedNames]).toEqual(['canary-error-rate', 'p99', 'canary-vs-stable-latency', 'errs']);
  });

  it('tests an absolute error-rate SLO of the canary against its bound: 10% errors against max 1% is a certain regression, explained', () => {
    const { side, second } = harness(spec({ mode: 'sequential' }, [{ kind: 'error-rate', max: '1%' }]));
    let seconds = 0;
    while (!side.signal.aborted && seconds < 60) {
      second(50, { v1: 0, v2: 0.1 });
      seconds++;
    }
    expect(side.signal.aborted).toBe(true);
    expect(seconds).toBeLessThan(10);
    const out = side.finish();
    expect(out.traces[0]).toMatchObject({ kind: 'error-rate-bound', decision: 'regression', alpha: 0.01, quantity: 'canary error rate' });
    expect(out.checks[0]).toMatchObject({ name: 'canary-error-rate-sequential', subject: 'canary', verdict: 'fail', critical: true });
    expect(out.checks[0]!.message).toMatch(/^canary error rate against its 1% bound: certain regression after \d+ s \(e-value [\d,.e+]+ ≥ 100 = 1\/α; \d+ canary requests\); CS for canary error rate: \[[\d.]+%, [\d.]+%\]$/);
  });

  it('tests an absolute latency SLO of the canary as its share of requests above the limit: p50 ≤ 10 ms with a canary at 15 ms is a regression, at 5 ms certainly met', () => {
    const slow = harness(spec({ mode: 'sequential' }, [{ kind: 'latency', percentile: 'p50', max: '10ms' }]));
    for (let t = 0; t < 30 && !slow.side.signal.aborted; t++) slow.second(50, { v1: 0, v2: 0 }, { v1: 5, v2: 15 });
    expect(slow.side.signal.aborted).toBe(true);
    expect(slow.side.finish().traces[0]).toMatchObject({ kind: 'latency-bound', decision: 'regression' });
    const fast = harness(spec({ mode: 'sequential', promoteEarly: true }, [{ kind: 'latency', percentile: 'p50', max: '10ms' }]));
    for (let t = 0; t < 30 && !fast.side.signal.aborted; t++) fast.second(50, { v1: 0, v2: 0 }, { v1: 5, v2: 5 });
    const out = fast.side.finish();
    expect(out.endedEarly).toBe('non-inferior');
    expect(out.checks[0]!.message).toMatch(/^canary requests slower than 10 ms against the 50% allowed: certainly within the bound after/);
  });

  it('stops the step at a certain regression of a canary with 20% errors, and explains it', () => {
    const { side, second } = harness(spec({ mode: 'sequential' }, [{ kind: 'relative-error-rate' }]));
    let seconds = 0;
    while (!side.signal.aborted && seconds < 60) {
      second(50, { v1: 0.005, v2: 0.2 });
      seconds++;
    }
    expect(side.signal.aborted).toBe(true);
    // 20% against 0.5% at 50 a second each: Test 1 crosses 1/α = 50 (confidence 0.98) within a few seconds.
    expect(seconds).toBeLessThan(10);
    // Nothing is fed once stopped.
    second(50, { v1: 0, v2: 0 });
    const out = side.finish();
    expect(out.endedEarly).toBe('regression');
    expect(out.event).toMatch(/; stopping the step and rolling back$/);
    const [check] = out.checks;
    expect(check).toMatchObject({ name: 'canary-vs-stable-error-rate-sequential', kind: 'sequential', verdict: 'fail', critical: true, threshold: 50 });
    expect(check!.value!).toBeGreaterThanOrEqual(50);
    expect(check!.message).toMatch(
      /^canary vs stable error rate: certain regression after \d+ s \(e-value [\d,.]+ ≥ 50 = 1\/α; \d+ canary \/ \d+ stable requests\); CS for canary − stable error rate: \[[+−]\d+\.\d\dpp, \+\d+\.\d\dpp\]$/,
    );
    const [trace] = out.traces;
    expect(trace).toMatchObject({ name: 'canary-vs-stable-error-rate', kind: 'error-rate', alpha: expect.closeTo(0.02, 12), threshold: 50, decision: 'regression', crossedAt: seconds });
    expect(trace!.points).toHaveLength(seconds);
    expect(trace!.points.map((p) => p.t)).toEqual(Array.from({ length: seconds }, (_, i) => i + 1));
    expect(trace!.crossedAtSamples).toEqual(trace!.points.at(-1)!.samples);
    expect(trace!.crossedAtSamples!.canary).toBe(50 * seconds);
    // It stopped at the first look at or above 1/α (the e-value decides; the confidence sequence, a
    // union of two per-arm sequences, is wider and may still hold 0).
    expect(trace!.points.at(-1)!.eValue).toBeGreaterThanOrEqual(50);
    expect(trace!.points.slice(0, -1).every((p) => p.eValue < 50)).toBe(true);
    expect(trace!.points.at(-1)!.upper!).toBeGreaterThan(0.1);
  });

  it('with promoteEarly, ends a step once a healthy canary is certainly within the margin', () => {
    const { side, second } = harness(spec({ mode: 'sequential', promoteEarly: true, nonInferiority: { errorRate: '2%' } }, [{ kind: 'relative-error-rate' }]));
    let seconds = 0;
    while (!side.signal.aborted && seconds < 60) {
      second(100, { v1: 0, v2: 0 });
      seconds++;
    }
    // 0 of n in both: Robbins' upper bound at α/2 = 1% falls under 2 points near n ≈ 550 (README's closed form).
    expect(seconds).toBeGreaterThanOrEqual(4);
    expect(seconds).toBeLessThanOrEqual(7);
    const out = side.finish();
    expect(out.endedEarly).toBe('non-inferior');
    expect(out.event).toBe(`every sequential test is certain of non-inferiority after ${seconds} s; ending the step early (promoteEarly)`);
    expect(out.checks[0]).toMatchObject({ verdict: 'pass', name: 'canary-vs-stable-error-rate-sequential' });
    expect(out.checks[0]!.message).toMatch(/^canary vs stable error rate: certainly non-inferior after \d+ s \(CS below the \+2\.00pp margin; \d+ canary \/ \d+ stable requests\); CS for canary − stable error rate: \[−\d\.\d\dpp, \+1\.\d\dpp\]$/);
  });

  it('without promoteEarly, non-inferiority does not stop the step and the fixed check decides', () => {
    const { side, second } = harness(spec({ mode: 'sequential', nonInferiority: { errorRate: '2%' } }, [{ kind: 'relative-error-rate' }]));
    for (let i = 0; i < 10; i++) second(100, { v1: 0, v2: 0 });
    expect(side.signal.aborted).toBe(false);
    const out = side.finish();
    expect(out.endedEarly).toBeUndefined();
    expect(out.traces[0]!.decision).toBe('non-inferior');
    expect(out.checks[0]!.message).toMatch(/; the fixed check decides$/);
  });

  it('in A/A mode (stopping off) a regression is reported, failing, but never stops the step', () => {
    const { side, second } = harness({ ...spec({ mode: 'sequential' }, [{ kind: 'relative-error-rate' }]), stopping: false });
    for (let i = 0; i < 20; i++) second(50, { v1: 0, v2: 0.3 });
    expect(side.signal.aborted).toBe(false);
    const out = side.finish();
    expect(out.endedEarly).toBeUndefined();
    expect(out.checks[0]).toMatchObject({ verdict: 'fail', critical: true });
    // The look at finish found nothing new: 20 looks plus the last one.
    expect(out.traces[0]!.points).toHaveLength(21);
  });

  it('the last look at the step\'s end counts what came in since, and a regression there is not an early end', () => {
    const { side, second } = harness(spec({ mode: 'sequential' }, [{ kind: 'relative-error-rate' }]));
    second(5, { v1: 0, v2: 0 });
    for (let i = 0; i < 400; i++) side.record({ time: 0, latencyMs: 1, status: i % 3 === 0 ? 500 : 200, version: 'v2' });
    for (let i = 0; i < 400; i++) side.record({ time: 0, latencyMs: 1, status: 200, version: 'v1' });
    const out = side.finish();
    expect(side.signal.aborted).toBe(false);
    expect(out.endedEarly).toBeUndefined();
    expect(out.traces[0]!.decision).toBe('regression');
    expect(out.checks[0]).toMatchObject({ verdict: 'fail', critical: true });
    expect(side.finish()).toBe(out);
  });

  it('tests latency: a canary 1.5 times slower is a certain regression, with the confidence sequence of the latency ratio', () => {
    const { side, second } = harness(spec({ mode: 'sequential' }, [{ kind: 'relative-latency' }]));
    let seconds = 0;
    while (!side.signal.aborted && seconds < 60) {
      second(50, { v1: 0, v2: 0 }, { v1: 10, v2: 15 });
      seconds++;
    }
    expect(side.signal.aborted).toBe(true);
    const out = side.finish();
    expect(out.traces[0]).toMatchObject({ kind: 'latency', decision: 'regression', quantity: 'canary ÷ stable latency − 1' });
    expect(out.checks[0]!.message).toMatch(/^canary vs stable latency: certain regression after \d+ s \(e-value [\d,.e+]+ ≥ 50 = 1\/α; \d+ canary \/ \d+ stable requests\); CS for canary ÷ stable latency − 1: \[\+[\d.]+%, (\+[\d.]+%|∞)\]$/);
    // The truth (+50%) inside the sequence, which excludes no slowdown.
    const last = out.traces[0]!.points.at(-1)!;
    expect(last.lower!).toBeGreaterThan(0);
    expect(last.lower!).toBeLessThan(0.5);
    expect(last.upper!).toBeGreaterThan(0.5);
  });

  it('a look that throws in its timer stops the step and is thrown by finish, not lost in the timer', async () => {
    const { analysis, slos } = spec({ mode: 'sequential' }, [{ kind: 'relative-error-rate' }]);
    const side = createSequentialSide({ analysis, slos, stable: 'v1', canary: 'v2', stopping: true, startedAt: 0, now: () => { throw new Error('clock broke'); } })!;
    side.start(5);
    await new Promise((resolve) => side.signal.addEventListener('abort', resolve));
    expect(() => side.finish()).toThrow('clock broke');
    side.close();
  });
});
