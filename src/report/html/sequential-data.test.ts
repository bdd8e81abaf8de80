import { describe, expect, it } from 'vitest';
import { loadSequentialRunResult } from '../../../test/unit/report/fixture.js';
import type { SequentialPoint, SequentialTrace } from '../../model/result.js';
import { buildSequentialCharts, E_CAP, E_FLOOR, MAX_PLOTTED, plottedIndices } from './sequential-data.js';

/** The fixture with `over` applied to step 2's canary-against-stable error-rate trace (a regression at 14 s). */
function chartsWith(over: (t: SequentialTrace) => void) {
  const r = loadSequentialRunResult();
  over(r.steps[1]!.sequential![1]!);
  return buildSequentialCharts(r);
}
/** Index of that trace's chart among all of them. */
const REG = 4;

describe('buildSequentialCharts', () => {
  const charts = buildSequentialCharts(loadSequentialRunResult());

  it('one entry per test of each step, in order, with ids the page boxes use', () => {
    const names = ['canary-error-rate', 'error-rate-vs-stable', 'latency-vs-stable'];
    expect(charts.map((c) => [c.id, c.name])).toEqual([1, 2].flatMap((step) => names.map((name, i) => [`seq-${step}-${i + 1}`, name])));
    expect(buildSequentialCharts({ steps: loadSequentialRunResult().steps.map((s) => ({ ...s, sequential: undefined })) })).toEqual([]);
  });

  it('the crossing of the regression at 14 s, the axis to the step\'s end, the reference line: no difference, or an absolute SLO\'s bound', () => {
    const c = charts[REG]!;
    expect(c.crossing).toEqual({ t: 14, e: 125.4, label: 'regression at 14 s' });
    expect(c.end).toBeCloseTo(14.2, 6);
    expect(c.t).toHaveLength(14);
    expect([c.reference, c.margin, c.style]).toEqual([{ value: 0, label: 'no difference' }, 0.01, 'points']);
    expect([charts[3]!.reference, charts[3]!.margin, charts[3]!.style]).toEqual([{ value: 0.01, label: 'SLO bound 1.00%' }, null, 'percent']);
    expect([charts[5]!.reference.value, charts[5]!.margin, charts[5]!.style, charts[5]!.crossing]).toEqual([0, 0.05, 'change', null]);
    expect(charts[5]!.ni).toHaveLength(14);
    expect(c.ni).toBeNull();
  });

  it('no band when no look has a confidence sequence; gaps where some looks lack one', () => {
    const none = chartsWith((t) => t.points.forEach((p) => { delete p.lower; delete p.upper; }))[REG]!;
    expect([none.lower, none.upper]).toEqual([null, null]);
    const some = chartsWith((t) => { delete t.points[0]!.lower; delete t.points[0]!.upper; })[REG]!;
    expect([some.lower![0], some.upper![0], some.lower![1]]).toEqual([null, null, loadSequentialRunResult().steps[1]!.sequential![1]!.points[1]!.lower]);
    // The latency test's first looks have a lower bound only (the upper one is not finite yet).
    expect([charts[5]!.lower![0], charts[5]!.upper![0]]).toEqual([-1, null]);
  });

  it('a single look is one point', () => {
    const one = chartsWith((t) => { t.points = t.points.slice(-1); })[REG]!;
    expect(one.t).toEqual([14]);
    expect(one.e).toEqual([125.4]);
    expect(one.crossing!.t).toBe(14);
  });

  it('clamps e-values for the log axis (0 and 1e300) and says so', () => {
    const c = chartsWith((t) => { t.points[0]!.eValue = 0; t.points[13]!.eValue = 1e300; })[REG]!;
    expect([c.e[0], c.e[13], c.crossing!.e, c.clamped]).toEqual([E_FLOOR, E_CAP, E_CAP, true]);
    expect([c.eReal![0], c.eReal![13], c.eReal![12]]).toEqual([0, 1e300, c.e[12]]);
    expect([charts[REG]!.clamped, charts[REG]!.eReal]).toEqual([false, null]);
  });

  it('thins thousands of looks evenly to at most MAX_PLOTTED, keeping the first, the last and the crossing', () => {
    const points: SequentialPoint[] = Array.from({ length: 7_200 }, (_, i) => ({ t: (i + 1) / 2, eValue: 1 + i / 100, samples: { canary: i, stable: 9 * i }, lower: -0.01, upper: 0.02 }));
    const c = chartsWith((t) => { t.points = points; t.crossedAt = 1234.5; })[REG]!;
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

