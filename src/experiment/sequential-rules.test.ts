import { describe, expect, it } from 'vitest';
import { formatPath } from '../input/locate.js';
import { checkRules, ruleInputFromSpec } from './rules.js';
import { experimentSpecSchema, type ExperimentInput } from './schema.js';
import { DEFAULT_NON_INFERIORITY } from './sequential-schema.js';
import { sequentialAlpha } from './sequential-rules.js';

type SpecInput = ExperimentInput['spec'];

const base = (): SpecInput => ({
  target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
  traffic: { shift: { steps: [50, 100] } },
  slos: [{ kind: 'relative-error-rate' }],
  local: { manifests: ['./istio'] },
});

function rules(edit: (s: SpecInput) => void): string[] {
  const spec = base();
  edit(spec);
  return checkRules(ruleInputFromSpec(experimentSpecSchema.parse(spec))).map((p) => `${formatPath(p.path)}: ${p.message}`);
}

describe('analysis.mode and its fields', () => {
  it('defaults to fixed, without early promotion', () => {
    const parsed = experimentSpecSchema.parse(base());
    expect(parsed.analysis).toMatchObject({ mode: 'fixed', promoteEarly: false });
    expect(parsed.analysis.nonInferiority).toBeUndefined();
    expect(DEFAULT_NON_INFERIORITY).toEqual({ errorRate: 0.01, latency: 0.05 });
  });

  it('parses the margins as the other percentages (fractions), and refuses a 0% or ≤ 1 margin', () => {
    const parsed = experimentSpecSchema.parse({ ...base(), analysis: { mode: 'sequential', nonInferiority: { errorRate: '2%' } } });
    expect(parsed.analysis.nonInferiority).toEqual({ errorRate: 0.02, latency: 0.05 });
    for (const nonInferiority of [{ errorRate: '0%' }, { latency: '0%' }, { latency: 0.5 }, { latencyOddsRatio: 1.5 }, { other: 1 }]) {
      expect(experimentSpecSchema.safeParse({ ...base(), analysis: { mode: 'sequential', nonInferiority } }).success).toBe(false);
    }
    expect(experimentSpecSchema.safeParse({ ...base(), analysis: { mode: 'Sequential' } }).success).toBe(false);
  });

  it('accepts mode sequential with a relative SLO, with or without promoteEarly', () => {
    expect(rules((s) => (s.analysis = { mode: 'sequential' }))).toEqual([]);
    expect(rules((s) => ((s.analysis = { mode: 'sequential', promoteEarly: true, nonInferiority: { errorRate: '2%' } }), (s.slos = [{ kind: 'relative-latency' }, { kind: 'latency', max: '1s' }])))).toEqual([]);
  });

  it('refuses promoteEarly and nonInferiority with mode fixed, at their keys', () => {
    expect(rules((s) => (s.analysis = { promoteEarly: true, nonInferiority: {} }))).toEqual([
      'spec.analysis.promoteEarly: only with mode sequential: a fixed analysis judges each step once at its end, so nothing can end it early',
      'spec.analysis.nonInferiority: only with mode sequential: the margins are those of the sequential tests',
    ]);
    // Written as false it changes nothing, so it is not refused.
    expect(rules((s) => (s.analysis = { promoteEarly: false }))).toEqual([]);
  });

  it('refuses mode sequential with no SLO it can test, absoluteConfidence without an absolute SLO or in mode fixed, live traffic, or in-cluster load', () => {
    expect(rules((s) => ((s.analysis = { mode: 'sequential' }), (s.slos = [{ kind: 'error-rate', max: '1%' }])))).toEqual([]);
    expect(rules((s) => ((s.analysis = { mode: 'sequential' }), (s.slos = [{ kind: 'error-rate', subject: 'stable', max: '1%' }, { kind: 'latency', percentile: 'max', max: '1s' }])))).toEqual([
      "spec.analysis.mode: mode sequential tests the relative SLOs (relative-error-rate, relative-latency) and the canary's error-rate, latency (p50 … p99.9) and prometheus built-in SLOs, and there is none: nothing would be tested sequentially",
    ]);
    expect(rules((s) => ((s.analysis = { mode: 'sequential', absoluteConfidence: 0.995 }), (s.slos = [{ kind: 'relative-error-rate' }])))).toEqual([
      'spec.analysis.absoluteConfidence: no absolute error-rate, latency or prometheus built-in SLO to apply it to',
    ]);
    expect(rules((s) => ((s.analysis = { absoluteConfidence: 0.995 }), (s.slos = [{ kind: 'error-rate', max: '1%' }])))).toEqual([
      'spec.analysis.absoluteConfidence: only with mode sequential: it is the confidence of the sequential tests of absolute SLOs',
    ]);
    expect(rules((s) => ((s.analysis = { mode: 'sequential' }), (s.slos = [])))).toHaveLength(1);
    expect(rules((s) => ((s.analysis = { mode: 'sequential' }), (s.load = { generator: 'none' }), (s.local = { attach: 'http://127.0.0.1:15020' })))).toEqual([
      "spec.analysis.mode: mode sequential reads the load generator's responses as they come, and generator none (live traffic) sends none",
    ]);
  });

  it("tests the canary's prometheus built-ins (request-success-rate with min, request-duration with max) at 1 − absoluteConfidence; a custom query, or the stable's, alone is refused", () => {
    const prom = (slos: NonNullable<SpecInput['slos']>, analysis: SpecInput['analysis'] = { mode: 'sequential' }) => (s: SpecInput) => {
      s.analysis = analysis;
      s.slos = slos;
      s.metrics = { prometheus: {} };
    };
    expect(rules(prom([{ kind: 'prometheus', builtin: 'request-success-rate', min: 99 }]))).toEqual([]);
    expect(rules(prom([{ kind: 'prometheus', builtin: 'request-duration', max: 250 }], { mode: 'sequential', absoluteConfidence: 0.995 }))).toEqual([]);
    for (const slo of [
      { kind: 'prometheus' as const, query: 'sum(up)', min: 1 },
      { kind: 'prometheus' as const, builtin: 'request-success-rate' as const, subject: 'stable' as const, min: 99 },
      { kind: 'prometheus' as const, builtin: 'request-success-rate' as const, min: 100 },
    ]) {
      expect(rules(prom([slo]))).toEqual([expect.stringMatching(/^spec\.analysis\.mode: mode sequential tests the relative SLOs .* and prometheus built-in SLOs, and there is none/)]);
    }
    const parsed = experimentSpecSchema.parse({ ...base(), slos: [{ kind: 'prometheus', builtin: 'request-success-rate', min: 99.5 }], metrics: { prometheus: {} } });
    expect(sequentialAlpha(parsed.slos[0]!, { absoluteConfidence: 0.995 })).toBe(0.005);
    expect(sequentialAlpha(parsed.slos[0]!, {})).toBe(0.01);
  });
});
