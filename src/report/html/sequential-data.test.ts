import { describe, expect, it } from 'vitest';
import { loadSequentialRunResult } from '../../../test/unit/report/fixture.js';
import type { SequentialPoint, SequentialTrace } from '../../model/result.js';
import { buildSequentialCharts, E_CAP, E_FLOOR, MAX_PLOTTED, plottedIndices } from './sequential-data.js';

/** The fixture with step 2's error-rate trace replaced by `over` applied to it. */
function chartsWith(over: (t: SequentialTrace) => void) {
  const r = loadSequentialRunResult();
  over(r.steps[1]!.sequential![0]!);
  return buildSequentialCharts(r);
}

describe('buildSequentialCharts', () => {
  const charts = buildSequentialCharts(loadSequentialRunResult());

  it('one entry per test of each step, in order, with ids the page boxes use', () => {
    expect(charts.map((c) => [c.id, c.name])).toEqual([['seq-1-1', 'canary-error-rate'], ['seq-1-2', 'canary-latency-p99'], ['seq-2-1', 'canary-error-rate'], ['seq-2-2', 'canary-latency-p99']]);
    expect(buildSequentialCharts({ steps: loadSequentialRunResult().steps.map((s) => ({ ...s, sequential: undefined })) })).toEqual([]);
  });

  it('the crossing of the regression at 14 s, the axis to the step\'s end, the no-difference line 0 for a difference and 1 for a ratio', () => {
    const c = charts[2]!;
    expect(c.crossing).toEqual({ t: 14, e: 125.4, label: 'regression at 14 s' });
    expect(c.end).toBeCloseTo(14.2, 6);
    expect(c.t).toHaveLength(14);
    expect([c.zero, c.margin, charts[3]!.zero, charts[3]!.margin]).toEqual([0, 0.01, 1, 1.5]);
    expect(charts[3]!.crossing).toBeNull();
    expect(charts[3]!.ni).toHaveLength(14);
    expect(c.ni).toBeNull();
  });

  it('no band when no look has a confidence sequence; gaps where some looks lack one', () => {
    const none = chartsWith((t) => t.points.forEach((p) => { delete p.lower; delete p.upper; }))[2]!;
    expect([none.lower, none.upper]).toEqual([null, null]);
    const some = chartsWith((t) => { delete t.points[0]!.lower; delete t.points[0]!.upper; })[2]!;
    expect([some.lower![0], some.upper![0], some.lower![1]]).toEqual([null, null, t2lower()]);
  });

  it('a single look is one point', () => {
    const one = chartsWith((t) => { t.points = t.points.slice(-1); })[2]!;
    expect(one.t).toEqual([14]);
    expect(one.e).toEqual([125.4]);
    expect(one.crossing!.t).toBe(14);
  });

  it('clamps e-values for the log axis (0 and 1e300) and says so', () => {
    const c = chartsWith((t) => { t.points[0]!.eValue = 0; t.points[13]!.eValue = 1e300; })[2]!;
    expect([c.e[0], c.e[13], c.crossing!.e, c.clamped]).toEqual([E_FLOOR, E_CAP, E_CAP, true]);
    expect([c.eReal![0], c.eReal![13], c.eReal![12]]).toEqual([0, 1e300, c.e[12]]);
    expect([charts[2]!.clamped, charts[2]!.eReal]).toEqual([false, null]);
  });

  it('thins thousands of looks evenly to at most MAX_PLOTTED, keeping the first, the last and the crossing', () => {
    const points: SequentialPoint[] = Array.from({ length: 7_200 }, (_, i) => ({ t: (i + 1) / 2, eValue: 1 + i / 100, samples: { canary: i, stable: 9 * i }, lower: -0.01, upper: 0.02 }));
    const c = chartsWith((t) => { t.points = points; t.crossedAt = 1234.5; })[2]!;
    expect(c.t.length).toBeLessThanOrEqual(MAX_PLOTTED);
    expect(c.t.length).toBeGreaterThan(MAX_PLOTTED - 2);
    expect([c.t[0], c.t.at(-1)]).toEqual([0.5, 3600]);
    expect(c.t).toContain(1234.5);
    expect([...c.t].sort((a, b) => a - b)).toEqual(c.t);
  });
});

describe('plottedIndices', () => {
  it('all of a short trace; an even spread of a long one with the kept index', () => {
    expect(plottedIndices(3, 1)).toEqual([0, 1, 2]);
    expect(plottedIndices(1_000, undefined, 10)).toEqual([0, 111, 222, 333, 444, 555, 666, 777, 888, 999]);
    const picked = plottedIndices(1_000, 333, 10);
    expect(picked).toContain(333);
    expect([picked[0], picked.at(-1), picked.length]).toEqual([0, 999, 10]);
  });
});

function t2lower(): number {
  return loadSequentialRunResult().steps[1]!.sequential![0]!.points[1]!.lower!;
}
