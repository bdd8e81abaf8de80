import { describe, expect, it } from 'vitest';
import { formatProblem } from '../errors.js';
import { validateExperimentText } from './validate.js';

/** An experiment with 10 s steps and the given load section (YAML lines under `load:`). */
const withLoad = (load: string) => `apiVersion: mesh-exp.dev/v1alpha1
kind: Experiment
metadata:
  name: ramp
spec:
  target: {virtualService: reviews, host: reviews, stable: v1, canary: v2}
  traffic:
    shift: {steps: [20, 100], interval: 10s}
  load:
${load}
  local:
    manifests: [istio]
`;

const problems = (load: string) => validateExperimentText(withLoad(load), 'ramp.yaml').problems.map((p) => formatProblem(p).split('\n')[0]);

describe('load.stages validation', () => {
  it('accepts stages that fit in the step, with or without startRate, and parses durations to ms', () => {
    const { experiment, problems: found } = validateExperimentText(withLoad('    startRate: 5\n    stages: [{rate: 100, duration: 4s}, {rate: 0, duration: 6s}]'), 'ramp.yaml');
    expect(found).toEqual([]);
    expect(experiment?.spec.load.stages).toEqual([{ rate: 100, duration: 4000 }, { rate: 0, duration: 6000 }]);
    expect(experiment?.spec.load.startRate).toBe(5);
    expect(problems('    stages: [{rate: 10, duration: 1s}]')).toEqual([]);
  });

  it('refuses rate beside stages, naming both, at the line of rate', () => {
    expect(problems('    rate: 50\n    stages: [{rate: 10, duration: 1s}]')).toEqual([
      'ramp.yaml:10:5 spec.load.rate: give either rate (a constant rate) or stages (a ramping rate), not both',
    ]);
  });

  it('refuses stages longer than each step\'s load, and startRate without stages', () => {
    expect(problems('    stages: [{rate: 10, duration: 6s}, {rate: 20, duration: 5s}]')).toEqual([
      "ramp.yaml:10:5 spec.load.stages: stages last 11s but each step's load lasts 10s (spec.traffic.shift.interval)",
    ]);
    expect(problems('    duration: 5s\n    stages: [{rate: 10, duration: 6s}]')).toEqual([
      "ramp.yaml:11:5 spec.load.stages: stages last 6s but each step's load lasts 5s (spec.load.duration)",
    ]);
    expect(problems('    startRate: 10')).toEqual(['ramp.yaml:10:5 spec.load.startRate: startRate applies only with stages']);
  });

  it('refuses a profile that sends nothing, and out-of-bounds values with their bounds', () => {
    expect(problems('    stages: [{rate: 0, duration: 1s}]')).toEqual(['ramp.yaml:10:5 spec.load.stages: every rate is 0, so no request would be sent']);
    const bad = problems('    stages: [{rate: -1, duration: 10ms}, {rate: 100001, duration: 1s, ramp: x}]\n    startRate: -2');
    expect(bad).toEqual([
      'ramp.yaml:10:21 spec.load.stages[0].rate: must be at least 0, got -1',
      'ramp.yaml:10:35 spec.load.stages[0].duration: must be at least 100ms, got "10ms"',
      'ramp.yaml:10:49 spec.load.stages[1].rate: must be at most 100000, got 100001',
      'ramp.yaml:10:71 spec.load.stages[1].ramp: unknown field "ramp"',
      'ramp.yaml:11:16 spec.load.startRate: must be at least 0, got -2',
    ]);
    expect(problems(`    stages: [${Array.from({ length: 101 }, () => '{rate: 1, duration: 100ms}').join(', ')}]`)).toEqual([
      expect.stringMatching(/^ramp\.yaml:10:\d+ spec\.load\.stages: .*100/),
    ]);
    expect(problems('    stages: []')).toEqual([expect.stringMatching(/^ramp\.yaml:10:\d+ spec\.load\.stages: /)]);
  });
});
