import { describe, expect, it } from 'vitest';
import { loadSequentialRunResult } from '../../test/unit/report/fixture.js';
import type { SequentialTrace } from '../model/result.js';
import { boundStyle, crossingPoint, endedEarlyLabel, formatBound, formatEValue, formatStepTime, sequentialSentence, sequentialTitle } from './sequential-text.js';

const fixture = loadSequentialRunResult();
/** Step 2's canary-against-stable error-rate test: a certain regression at 14 s. */
const errorTrace = () => structuredClone(fixture.steps[1]!.sequential![1]!);

/** A minimal trace of `kind` whose looks are `points`. */
function trace(over: Partial<SequentialTrace>): SequentialTrace {
  return { name: 'x', kind: 'latency', alpha: 0.01, threshold: 100, decision: 'continue', eValue: 1, points: [], ...over };
}

describe('formatEValue', () => {
  it.each([
    [132.4, '132'], [3.21, '3.21'], [3.2, '3.2'], [100, '100'], [20, '20'], [0.339, '0.339'], [0.04123, '0.0412'],
    [12_345, '12,345'], [1.23e6, '1.2e+6'], [1.2e45, '1.2e+45'], [1e300, '1e+300'], [4.1e-5, '4.1e-5'], [0, '0'], [Infinity, '∞'],
  ])('%s → %s', (e, said) => expect(formatEValue(e)).toBe(said));
});

describe('formatStepTime and formatBound', () => {
  it('says seconds into a step in words that read aloud', () => {
    expect([0, 14, 14.25, 59.9, 65, 3725].map(formatStepTime)).toEqual(['0 s', '14 s', '14.3 s', '59.9 s', '1 min 05 s', '1 h 02 min']);
  });

  it('writes bounds as the checks do: an error-rate difference in points, an absolute share in percent, a latency change signed, else a number', () => {
    const diff = { kind: 'relative-error-rate' }, share = { kind: 'error-rate', bound: 0.01 }, change = { kind: 'latency' }, other = { kind: 'prometheus' };
    expect([boundStyle(diff), boundStyle({ kind: 'error-rate' }), boundStyle(share), boundStyle({ kind: 'latency', bound: 0.01 }), boundStyle(change), boundStyle(other)]).toEqual(['points', 'points', 'percent', 'percent', 'change', 'number']);
    expect([formatBound(diff, -0.01515), formatBound(diff, 0.1421), formatBound(share, 0.006179), formatBound(change, 0.4918), formatBound(change, -0.1393)]).toEqual(['−1.52pp', '+14.21pp', '0.62%', '+49.2%', '−13.9%']);
    expect([formatBound(other, 2.586), formatBound(other, -3.5)]).toEqual(['2.59', '−3.5']);
  });
});

describe('sequentialSentence', () => {
  it('a regression: when, on how many requests per version, and the e-value at the crossing against 1/α', () => {
    expect(sequentialSentence(errorTrace())).toBe('certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)');
  });

  it('cites the e-value of the look where the bound was crossed, not a later one', () => {
    const t = errorTrace();
    t.points.push({ t: 15, eValue: 9_000, samples: { canary: 170, stable: 1750 } });
    t.eValue = 9_000;
    expect(sequentialSentence(t)).toContain('(e-value 125 ≥ 100 = 1/α)');
  });

  it('no conclusion: the last e-value below the bound', () => {
    expect(sequentialSentence(fixture.steps[0]!.sequential![1]!)).toBe("no certain conclusion by the step's end (e-value 0.339 < 100)");
    expect(sequentialSentence(fixture.steps[1]!.sequential![0]!)).toBe("no certain conclusion by the step's end (e-value 49.9 < 100)");
  });

  it('non-inferiority rests on its own e-value where the test has one, else on the confidence sequence below the margin', () => {
    const samples = { canary: 400, stable: 3600 };
    const byE = trace({ decision: 'non-inferior', crossedAt: 41, crossedAtSamples: samples, points: [{ t: 41, eValue: 0.2, nonInferiorityEValue: 104, samples }] });
    expect(sequentialSentence(byE)).toBe('certain non-inferiority after 41 s on 400 canary / 3,600 stable requests (non-inferiority e-value 104 ≥ 100 = 1/α)');
    const byCs = trace({ kind: 'error-rate', margin: 0.01, decision: 'non-inferior', crossedAt: 41, points: [{ t: 41, eValue: 0.2, samples, lower: -0.004, upper: 0.0091 }] });
    expect(sequentialSentence(byCs)).toBe('certain non-inferiority after 41 s on 400 canary / 3,600 stable requests (confidence sequence [−0.40pp, +0.91pp] below the margin +1.00pp)');
  });

  it('a one-version test of an absolute SLO counts the canary\'s requests alone', () => {
    const samples = { canary: 130, stable: 0 };
    const t = trace({ kind: 'error-rate', bound: 0.01, decision: 'regression', crossedAt: 10, crossedAtSamples: samples, points: [{ t: 10, eValue: 104, samples, lower: 0.012, upper: 0.11 }] });
    expect(sequentialSentence(t)).toBe('certain regression after 10 s on 130 canary requests (e-value 104 ≥ 100 = 1/α)');
    const met = { ...t, decision: 'non-inferior' as const, points: [{ t: 10, eValue: 0.1, samples, lower: 0, upper: 0.0093 }] };
    expect(sequentialSentence(met)).toBe('certain non-inferiority after 10 s on 130 canary requests (confidence sequence [0.00%, 0.93%] below the bound 1.00%)');
  });

  it('a Prometheus SLO counts samples, not requests; huge e-values print as the real number', () => {
    const samples = { canary: 12, stable: 108 };
    const t = trace({ kind: 'prometheus', decision: 'regression', crossedAt: 30, crossedAtSamples: samples, eValue: 1e300, points: [{ t: 30, eValue: 1e300, samples }] });
    expect(sequentialSentence(t)).toBe('certain regression after 30 s on 12 canary / 108 stable samples (e-value 1e+300 ≥ 100 = 1/α)');
  });

  it("the runner's test of a prometheus built-in (prometheus-bound) reads in percent, on the canary's requests counted by Prometheus", () => {
    const samples = { canary: 420, stable: 0 };
    const t = trace({ kind: 'prometheus-bound', bound: 0.01, decision: 'regression', crossedAt: 6, crossedAtSamples: samples, points: [{ t: 6, eValue: 131, samples, lower: 0.04, upper: 0.17 }] });
    expect(boundStyle(t)).toBe('percent');
    expect([formatBound(t, 0.01), formatBound(t, 0.1234)]).toEqual(['1.00%', '12.34%']);
    expect(sequentialSentence(t)).toBe('certain regression after 6 s on 420 canary requests counted by Prometheus (e-value 131 ≥ 100 = 1/α)');
  });

  it('the crossing is the last look at or before crossedAt, none without one', () => {
    const t = errorTrace();
    expect(crossingPoint(t)!.t).toBe(14);
    expect(crossingPoint({ ...t, crossedAt: undefined })).toBeUndefined();
    expect(crossingPoint({ ...t, crossedAt: 13.5 })!.t).toBe(13);
  });
});

describe('endedEarlyLabel and sequentialTitle', () => {
  it('say why a step stopped early, nothing for a step that ran its interval', () => {
    expect([endedEarlyLabel({ endedEarly: 'regression' }), endedEarlyLabel({ endedEarly: 'non-inferior' }), endedEarlyLabel({})]).toEqual(['ended early: certain regression', 'ended early: certain non-inferiority', undefined]);
    expect(sequentialTitle(errorTrace())).toBe('error-rate-vs-stable (relative-error-rate, α = 0.01)');
  });
});
