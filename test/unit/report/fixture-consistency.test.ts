import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/analysis/decide.js';
import { evaluateChecks } from '../../../src/analysis/evaluate.js';
import { summarizeRun } from '../../../src/analysis/summary.js';
import { experimentSchema, type Experiment } from '../../../src/experiment/schema.js';
import { loadRunResult } from './fixture.js';

// The report fixture is static JSON; this keeps it what the analysis would produce today, so
// report tests never render a RunResult the runner could not write.
describe('report fixture', () => {
  const result = loadRunResult();
  const experiment = result.experiment as Experiment;

  it('holds a valid parsed experiment', () => {
    // Parsed output is not valid input (durations are numbers now); check the shape that matters.
    expect(experiment.apiVersion).toBe(experimentSchema.shape.apiVersion.value);
    expect(experiment.spec.slos.length).toBeGreaterThan(0);
  });

  it('has the checks, decisions and summary the analysis gives for its stats', () => {
    const { spec } = experiment;
    let failedSoFar = 0;
    for (const step of result.steps) {
      const checks = evaluateChecks(spec.slos, step.stats, { stable: spec.target.stable, canary: spec.target.canary, minSamples: spec.analysis.minSamples });
      expect(checks).toEqual(step.checks);
      const d = decide({
        checks,
        failedSoFar,
        threshold: spec.analysis.threshold,
        noDataFails: spec.analysis.noDataFails,
        lastStep: step.index === (spec.traffic.shift?.steps?.length ?? 1) - 1,
        promote: spec.traffic.shift?.promote ?? false,
      });
      expect(d).toEqual({ decision: step.decision, failedChecksTotal: step.failedChecksTotal });
      failedSoFar = d.failedChecksTotal;
    }
    expect(summarizeRun(result)).toBe(result.summary);
  });
});
