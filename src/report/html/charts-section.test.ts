import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../../test/unit/report/fixture.js';
import { chartsSection, pointsSaid } from './charts-section.js';

describe('pointsSaid', () => {
  it('says one point per second for a run whose steps carry no width, and the width of a long run', () => {
    const result = loadRunResult();
    expect(pointsSaid(result)).toBe('one point per second and version');
    for (const s of result.steps) s.timelineSeconds = 3;
    expect(pointsSaid(result)).toMatch(/^one point per 3 s and version \(a long run: each point's percentiles are over its whole window, not averages of seconds\)$/);
    for (const s of result.steps) s.timelineSeconds = 120;
    expect(pointsSaid(result)).toMatch(/^one point per 2 min and version/);
    expect(chartsSection(result).html.html).toContain('one point per 2 min and version');
  });
});
