import { describe, expect, it } from 'vitest';
import { loadSequentialRunResult } from '../../test/unit/report/fixture.js';
import type { SequentialTrace } from '../model/result.js';
import { crossingPoint, endedEarlyLabel, formatBound, formatEValue, formatStepTime, sequentialSentence, sequentialTitle } from './sequential-text.js';

const fixture = loadSequentialRunResult();
const errorTrace = () => structuredClone(fixture.steps[1]!.sequential![0]!);

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

  it('writes an error-rate difference in points, anything else to three digits with its sign', () => {
    expect([formatBound('error-rate', -0.01515), formatBound('error-rate', 0.1421), formatBound('error-rate', 0)]).toEqual(['-1.52 pts', '+14.21 pts', '0.00 pts']);
    expect([formatBound('latency', 0.7047), formatBound('latency', 2.586), formatBound('prometheus', -3.5)]).toEqual(['0.705', '2.59', '-3.5']);
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
    expect(sequentialSentence(fixture.steps[0]!.sequential![0]!)).toBe("no certain conclusion by the step's end (e-value 0.339 < 100)");
  });

  it('non-inferiority rests on its own e-value where the test has one, else on the confidence sequence below the margin', () => {
    const samples = { canary: 400, stable: 3600 };
    const byE = trace({ decision: 'non-inferior', crossedAt: 41, crossedAtSamples: samples, points: [{ t: 41, eValue: 0.2, nonInferiorityEValue: 104, samples }] });
    expect(sequentialSentence(byE)).toBe('certain non-inferiority after 41 s on 400 canary / 3,600 stable requests (non-inferiority e-value 104 ≥ 100 = 1/α)');
    const byCs = trace({ kind: 'error-rate', margin: 0.01, decision: 'non-inferior', crossedAt: 41, points: [{ t: 41, eValue: 0.2, samples, lower: -0.004, upper: 0.0091 }] });
    expect(sequentialSentence(byCs)).toBe('certain non-inferiority after 41 s on 400 canary / 3,600 stable requests (confidence sequence [-0.40 pts, +0.91 pts] below the margin +1.00 pts)');
  });

  it('a Prometheus SLO counts samples, not requests; huge e-values print as the real number', () => {
    const samples = { canary: 12, stable: 108 };
    const t = trace({ kind: 'prometheus', decision: 'regression', crossedAt: 30, crossedAtSamples: samples, eValue: 1e300, points: [{ t: 30, eValue: 1e300, samples }] });
    expect(sequentialSentence(t)).toBe('certain regression after 30 s on 12 canary / 108 stable samples (e-value 1e+300 ≥ 100 = 1/α)');
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
    expect(sequentialTitle(errorTrace())).toBe('canary-error-rate (error-rate, α = 0.01)');
  });
});
