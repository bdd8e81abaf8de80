import { describe, expect, it } from 'vitest';
import { experimentSchema } from '../experiment/schema.js';
import { aaGroups, createAaSplitter, planAa } from './aa-mode.js';

const experiment = experimentSchema.parse({
  apiVersion: 'mesh-exp.dev/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'x' },
  spec: { target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' }, traffic: { shift: { steps: [10, 50], interval: '4s' } } },
});

describe('A/A mode', () => {
  it('plans N windows at canary weight 0 of the step interval, nothing promoted', () => {
    const plan = planAa(experiment, { windows: 3, seed: 1 });
    expect(plan.promote).toBe(false);
    expect(plan.steps.map((s) => [s.label, s.state, s.durationMs])).toEqual([
      ['A/A window 1/3', { canaryWeight: 0 }, 4000],
      ['A/A window 2/3', { canaryWeight: 0 }, 4000],
      ['A/A window 3/3', { canaryWeight: 0 }, 4000],
    ]);
    expect(planAa(experiment, { windows: 1, windowMs: 1500, seed: 1 }).steps[0]!.durationMs).toBe(1500);
  });

  it('splits only the stable, about evenly, the same way for the same seed', () => {
    const groups = aaGroups('v1');
    expect(groups).toEqual({ stable: 'v1:A', canary: 'v1:B' });
    const sample = (version?: string) => ({ time: 0, latencyMs: 1, status: 200, ...(version ? { version } : {}) });
    const run = (seed: number) => {
      const split = createAaSplitter('v1', seed);
      return Array.from({ length: 2000 }, () => split(sample('v1')).version);
    };
    const a = run(5);
    expect(a).toEqual(run(5));
    expect(a).not.toEqual(run(6));
    const share = a.filter((v) => v === 'v1:A').length / a.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    const split = createAaSplitter('v1', 1);
    expect(split(sample('v2')).version).toBe('v2');
    expect(split(sample()).version).toBeUndefined();
  });
});
