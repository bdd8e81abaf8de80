import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import { checkDelta, compareRuns, delta } from './compare.js';
import { renderHtmlReport } from './html-reporter.js';

const current = loadRunResult();

describe('compareRuns', () => {
  it('pairs checks by step and name and versions by step and version, keeping this run\'s order', () => {
    const previous = loadRunResult();
    const cmp = compareRuns(current, previous);
    expect(cmp.checks.map((p) => [p.step, p.name])).toEqual(current.steps.flatMap((s) => s.checks.map((c) => [s.index + 1, c.name])));
    expect(cmp.checks.every((p) => p.now && p.before && p.now.value === p.before.value)).toBe(true);
    expect(cmp.versions).toHaveLength(current.steps.reduce((n, s) => n + s.stats.length, 0));
    expect(cmp.previous).toEqual({ name: previous.name, outcome: previous.outcome, summary: previous.summary, startedAt: previous.startedAt });
  });

  it('lists what only one run has with nothing on the other side', () => {
    const previous = loadRunResult();
    previous.steps = previous.steps.slice(0, 1);
    previous.steps[0]!.checks[0]!.name = 'renamed';
    const cmp = compareRuns(current, previous);
    const step2 = cmp.checks.filter((p) => p.step === 2);
    expect(step2.every((p) => p.now && !p.before)).toBe(true);
    expect(cmp.checks.at(-1)).toMatchObject({ step: 1, name: 'renamed', before: expect.anything() });
    expect(cmp.checks.at(-1)!.now).toBeUndefined();
    expect(cmp.versions.filter((p) => p.step === 2 && p.before)).toEqual([]);
  });
});

describe('delta', () => {
  it('says which way is worse: up for latency and max thresholds, down for min thresholds', () => {
    expect(delta('latency', 81, 75, true)).toEqual({ text: '+6ms', direction: 'worse' });
    expect(delta('error-rate', 0.01, 0.0236, true)).toEqual({ text: '-1.36 pp', direction: 'better' });
    expect(delta('latency', 5, 5, true)).toEqual({ text: '±0', direction: 'same' });
    expect(delta('latency', null, 5, true)).toEqual({ text: '', direction: 'same' });
    const min = { kind: 'prometheus', comparator: 'min' as const, value: 97, threshold: 99 };
    expect(checkDelta({ step: 1, name: 'success', now: { ...min } as never, before: { ...min, value: 99.5 } as never }).direction).toBe('worse');
  });
});

describe('renderHtmlReport with a previous run', () => {
  it('adds the comparison section, the worse change marked', () => {
    const previous = loadRunResult();
    previous.steps[1]!.checks.find((c) => c.verdict === 'fail')!.value = 300;
    const page = renderHtmlReport(current, { previous });
    const section = /<section id="compare">([\s\S]*?)<\/section>/.exec(page)?.[1] ?? '';
    expect(section).toContain('<tr><td class="num">2</td><td>canary-latency-p99</td><td class="num">412ms</td><td class="num">300ms</td><td class="num delta-worse">+112ms</td>');
    expect(section).toContain(previous.summary);
    expect(renderHtmlReport(current)).not.toContain('id="compare"');
  });
});
