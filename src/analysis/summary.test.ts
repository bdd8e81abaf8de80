import { describe, expect, it } from 'vitest';
import type { CheckResult, StepResult } from '../model/result.js';
import { summarizeRun } from './summary.js';

function check(overrides: Partial<CheckResult>): CheckResult {
  return { name: 'canary-latency-p99', kind: 'latency', subject: 'canary', value: 100, threshold: 250, comparator: 'max', samples: 512, verdict: 'pass', message: '', ...overrides };
}

function step(index: number, weight: number, checks: CheckResult[], decision: StepResult['decision'], failedChecksTotal = 0): StepResult {
  return { index, canaryWeight: weight, label: `canary ${weight}%`, startedAt: 0, endedAt: 1, stats: [], timeline: [], checks, failedChecksTotal, decision };
}

const passing = (n: number) => [check({}), check({ name: 'canary-error-rate', kind: 'error-rate', value: 0, threshold: 0.01 })].slice(0, n);

describe('summarizeRun', () => {
  it('names the failed check, step, value, threshold and samples in the first sentence of a rollback', () => {
    const steps = [
      step(0, 5, passing(2), 'continue'),
      step(1, 25, [check({ value: 412, verdict: 'fail' }), check({ name: 'canary-error-rate', kind: 'error-rate', value: 0, threshold: 0.01 })], 'rollback', 1),
    ];
    expect(summarizeRun({ outcome: 'rolled-back', steps, restored: true })).toBe(
      'Rolled back at step 2 (canary 25%): canary-latency-p99 was 412ms against a 250ms max (+65%) over 512 requests.',
    );
  });

  it('formats error-rate values as percentages and counts other failures', () => {
    const steps = [
      step(0, 10, [check({ name: 'canary-error-rate', kind: 'error-rate', value: 21 / 512, threshold: 0.01, verdict: 'fail' }), check({ value: 900, verdict: 'fail' })], 'rollback', 2),
    ];
    expect(summarizeRun({ outcome: 'rolled-back', steps, restored: true })).toBe(
      'Rolled back at step 1 (canary 10%): canary-error-rate was 4.10% against a 1.00% max (+310%) over 512 requests. In all, 2 checks counted as failed.',
    );
  });

  it('names the check of the rollback step, not an earlier tolerated failure', () => {
    const steps = [
      step(0, 5, [check({ name: 'early', value: 300, verdict: 'fail' })], 'continue', 1),
      step(1, 25, [check({ name: 'late', value: 700, samples: 80, verdict: 'fail' })], 'rollback', 2),
    ];
    expect(summarizeRun({ outcome: 'rolled-back', steps, restored: true })).toMatch(/^Rolled back at step 2 \(canary 25%\): late was 700ms against a 250ms max \(\+180%\) over 80 requests\./);
  });

  it('says by how much a min threshold was missed, and nothing relative against a zero threshold', () => {
    const below = [step(0, 10, [check({ name: 'success', kind: 'prometheus', value: 95.8, threshold: 99, comparator: 'min', verdict: 'fail' })], 'rollback', 1)];
    expect(summarizeRun({ outcome: 'rolled-back', steps: below, restored: true })).toContain('success was 95.8 against a 99 min (-3.2%) over 512 requests.');
    const zero = [step(0, 10, [check({ name: 'no-errors', kind: 'error-rate', value: 0.002, threshold: 0, verdict: 'fail' })], 'rollback', 1)];
    expect(summarizeRun({ outcome: 'rolled-back', steps: zero, restored: true })).toContain('no-errors was 0.20% against a 0.00% max over 512 requests.');
  });

  it('gives a relative check its interval rather than an overshoot of the allowed increase', () => {
    const rel = check({ name: 'canary-vs-stable-latency', kind: 'relative-latency', subject: 'canary vs stable', value: 1.18, threshold: 0.1, verdict: 'fail', interval: { low: 0.995, high: 1.37, confidence: 0.98 } });
    expect(summarizeRun({ outcome: 'rolled-back', steps: [step(0, 50, [rel], 'rollback', 1)], restored: true })).toBe(
      'Rolled back at step 1 (canary 50%): canary-vs-stable-latency was +118.0% against a +10.0% max (98% CI +99.5%…+137.0%) over 512 requests.',
    );
  });

  it('says a sequential test was certain of a regression, not by how much its e-value passed 1/α', () => {
    const seq = check({ name: 'canary-vs-stable-error-rate-sequential', kind: 'sequential', subject: 'canary vs stable', value: 22_381.3, threshold: 100, samples: 398, verdict: 'fail', critical: true });
    expect(summarizeRun({ outcome: 'rolled-back', steps: [step(0, 25, [seq], 'rollback', 1)], restored: true })).toBe(
      'Rolled back at step 1 (canary 25%): canary-vs-stable-error-rate-sequential was certain of a regression (e-value 22,381 ≥ 100 = 1/α) over 398 requests so far.',
    );
  });

  it('explains a rollback on no data', () => {
    const steps = [step(0, 5, [check({ value: null, samples: 3, verdict: 'no-data' })], 'rollback', 1)];
    expect(summarizeRun({ outcome: 'rolled-back', steps, restored: true })).toBe(
      'Rolled back at step 1 (canary 5%): canary-latency-p99 had no data to judge against a 250ms max (only 3 requests).',
    );
  });

  it('says when the rollback could not restore the mesh', () => {
    const steps = [step(0, 5, [check({ value: 400, verdict: 'fail' })], 'rollback', 1)];
    expect(summarizeRun({ outcome: 'rolled-back', steps, restored: false })).toMatch(/ The mesh could NOT be restored; see the journal/);
  });

  it('promoted: counts checks and steps', () => {
    const steps = [0, 1, 2, 3].map((i) => step(i, [5, 25, 50, 100][i]!, passing(2), i === 3 ? 'promote' : 'continue'));
    expect(summarizeRun({ outcome: 'promoted', steps, restored: true })).toBe('Promoted: all 8 checks passed over 4 steps (canary now at 100%).');
  });

  it('promoted with tolerated failures says so', () => {
    const steps = [step(0, 50, [check({ value: 300, verdict: 'fail' }), check({})], 'continue', 1), step(1, 100, [check({ value: null, verdict: 'no-data' }), check({})], 'promote', 1)];
    expect(summarizeRun({ outcome: 'promoted', steps, restored: true })).toBe(
      'Promoted: 2 of 4 checks passed over 2 steps; 1 failed and 1 had no data, below the rollback threshold (canary now at 100%).',
    );
  });

  it('passed and restored', () => {
    const steps = [step(0, 100, passing(1), 'complete')];
    expect(summarizeRun({ outcome: 'passed', steps, restored: true })).toBe(
      'Passed and restored: the single check passed over 1 step; the mesh is back to its original routes.',
    );
    expect(summarizeRun({ outcome: 'passed', steps, restored: false })).toMatch(/^Passed: .*, but the mesh could NOT be restored/);
    expect(summarizeRun({ outcome: 'passed', steps: [step(0, 100, [], 'complete')], restored: true })).toContain('no SLOs were checked over 1 step');
  });

  it('interrupted: names the signal and the step', () => {
    const steps = [step(0, 5, passing(2), 'continue'), step(1, 25, passing(2), 'continue')];
    expect(summarizeRun({ outcome: 'interrupted', steps, restored: true, signal: 'SIGINT', activeStep: 2 })).toBe(
      'Interrupted by SIGINT during step 3; the mesh was restored.',
    );
    expect(summarizeRun({ outcome: 'interrupted', steps, restored: true, signal: 'SIGTERM', activeStep: 1 })).toBe(
      'Interrupted by SIGTERM during step 2 (canary 25%); the mesh was restored.',
    );
    expect(summarizeRun({ outcome: 'interrupted', steps: [], restored: false, signal: 'SIGINT' })).toBe(
      'Interrupted by SIGINT before the first step; the mesh could NOT be restored; see the journal in the run directory.',
    );
  });

  it('error: one line with the message', () => {
    expect(summarizeRun({ outcome: 'error', steps: [], restored: true, error: 'provider "istio" unreachable.\n  at foo' })).toBe(
      'Error: provider "istio" unreachable. at foo; the mesh was restored.',
    );
    expect(summarizeRun({ outcome: 'error', steps: [step(0, 5, [], 'continue')], restored: true, error: 'backend crashed.', activeStep: 0 })).toBe(
      'Error during step 1 (canary 5%): backend crashed; the mesh was restored.',
    );
  });
});
