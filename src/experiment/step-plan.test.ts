import { describe, expect, it } from 'vitest';
import { experimentSchema, type ExperimentInput } from './schema.js';
import { DEFAULT_STEP_MS, MAX_SHIFT_STEPS, planSteps, shiftStepCount, shiftWeights } from './step-plan.js';

function experiment(traffic: ExperimentInput['spec']['traffic'], load: ExperimentInput['spec']['load'] = {}) {
  return experimentSchema.parse({
    apiVersion: 'mesh-exp.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'x' },
    spec: { target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, traffic, load },
  });
}

describe('shiftWeights', () => {
  it('uses explicit steps as given', () => {
    expect(shiftWeights({ steps: [5, 25, 50], interval: 1, promote: true })).toEqual([5, 25, 50]);
  });

  it('steps by stepWeight and always ends at maxWeight', () => {
    expect(shiftWeights({ stepWeight: 30, interval: 1, promote: true })).toEqual([30, 60, 90, 100]);
    expect(shiftWeights({ stepWeight: 25, maxWeight: 50, interval: 1, promote: true })).toEqual([25, 50]);
    expect(shiftWeights({ stepWeight: 0.1, maxWeight: 0.3, interval: 1, promote: true })).toEqual([0.1, 0.2, 0.3]);
  });

  it('plans at most MAX_SHIFT_STEPS steps, and throws rather than loop on a weight too small to add up', () => {
    expect(shiftWeights({ stepWeight: 0.1, interval: 1, promote: true })).toHaveLength(MAX_SHIFT_STEPS);
    expect(shiftStepCount({ stepWeight: 0.1, interval: 1, promote: true })).toBe(MAX_SHIFT_STEPS);
    expect(() => shiftWeights({ stepWeight: 6.4e-120, interval: 1, promote: true })).toThrow(RangeError);
    expect(() => shiftWeights({ stepWeight: 0.05, interval: 1, promote: true })).toThrow(/more than 1000 steps/);
  });
});

describe('planSteps', () => {
  it('plans one step per weight with the shift interval, carrying fault, mirror and A/B match', () => {
    const plan = planSteps(
      experiment({
        shift: { steps: [10, 50], interval: '5s' },
        fault: { delay: { fixedDelay: '80ms', percentage: 50 } },
        mirror: { subset: 'v3' },
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      }),
    );
    expect(plan.promote).toBe(true);
    expect(plan.promotionState).toEqual({ canaryWeight: 100 });
    expect(plan.steps.map((s) => [s.canaryWeight, s.durationMs, s.loadDurationMs])).toEqual([
      [10, 5000, 5000],
      [50, 5000, 5000],
    ]);
    expect(plan.steps[1]!.state).toEqual({
      canaryWeight: 50,
      fault: { delayMs: 80, delayPercent: 50 },
      mirror: { subset: 'v3', percentage: 100 },
      abMatch: [{ headers: { 'end-user': { exact: 'jason' } } }],
    });
    expect(plan.steps[1]!.label).toBe('canary 50%, A/B end-user=jason → v2, fault delay 80ms on 50%, mirror 100% to v3');
  });

  it('honours promote: false', () => {
    expect(planSteps(experiment({ shift: { stepWeight: 50, promote: false } })).promote).toBe(false);
  });

  it('plans one step as long as the longest of fault and mirror durations', () => {
    const plan = planSteps(
      experiment({
        fault: { abort: { httpStatus: 503, percentage: 10 }, duration: '7s', match: [{ uri: { prefix: '/a' } }] },
        mirror: { subset: 'v2', percentage: 20, duration: '12s' },
      }),
    );
    expect(plan.promote).toBe(false);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]).toMatchObject({ canaryWeight: null, durationMs: 12_000, loadDurationMs: 12_000 });
    expect(plan.steps[0]!.state.fault).toEqual({ abortStatus: 503, abortPercent: 10, match: [{ uri: { prefix: '/a' } }] });
    expect(plan.steps[0]!.label).toBe('fault abort 503 on 10% for uri^=/a, mirror 20% to v2');
  });

  it('defaults the single step to 30s for an A/B match alone, and uses load.duration when set', () => {
    const plan = planSteps(experiment({ match: [{ headers: { x: {} } }] }, { duration: '3s' }));
    expect(plan.steps[0]).toMatchObject({ durationMs: DEFAULT_STEP_MS, loadDurationMs: 3000 });
    expect(plan.steps[0]!.label).toBe('A/B x present → v2');
  });
});
