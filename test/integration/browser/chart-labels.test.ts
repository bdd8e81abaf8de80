/**
 * The charts' labels in Chromium at phone (390 px) and desktop (1280 px) widths: step and
 * end-of-routes markers, SLO threshold labels and the labels of fault and mirror shading, measured
 * as rendered (their bounding boxes). No two labels of a chart overlap, no label lies on a
 * threshold line, every label is inside its chart, and marker labels stand above the plotted data. canary.yaml is the run users reported
 * ("step 3" on the 100% line, "step 3" and "promoted" colliding on a phone); browser-canary.yaml
 * adds fault and mirror shading.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openReport, requireBrowser, screenshot, type VIEWPORTS } from '../../support/browser.js';
import { useReportRuns } from '../../support/browser-report-runs.js';

const found = await requireBrowser();

interface Box { x: number; y: number; w: number; h: number; text: string; kind: string }
/** Per chart: its box, its labels and its threshold lines, as rendered. */
interface ChartBoxes { chart: Box; plot: Box; notes: Box[]; rules: Box[] }

/** The little of a DOM element this file reads (the project compiles without the DOM library). */
interface El { getBoundingClientRect(): { x: number; y: number; width: number; height: number }; textContent: string | null; className: string }

function boxesOf(page: Page): Promise<ChartBoxes[]> {
  return page.$$eval('.chart .uplot', (charts) => {
    const box = (e: El) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent ?? '', kind: e.className };
    };
    return charts.map((c) => ({ chart: box(c as unknown as El), plot: box(c.querySelector('.u-over') as unknown as El), notes: [...c.querySelectorAll('.chart-note')].map((e) => box(e as unknown as El)), rules: [...c.querySelectorAll('.chart-rule')].map((e) => box(e as unknown as El)) }));
  });
}

/** Whether two boxes share any area (touching edges do not count). */
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const RUNS = { canary: 'experiments/canary.yaml', overlays: 'test/fixtures/report/browser-canary.yaml' } as const;

describe.skipIf(!found)('chart labels in Chromium', () => {
  const reports = useReportRuns(found, RUNS);

  const cases = (['canary', 'overlays'] as const).flatMap((run) => (['phone', 'desktop'] as (keyof typeof VIEWPORTS)[]).map((viewport) => [run, viewport] as const));

  it.each(cases)('%s at %s width: no label overlaps another label or a threshold line, and each is inside its chart', async (run, viewport) => {
    const { page, trouble, close } = await openReport(reports.browser, path.join(reports.runs[run].dir, 'report.html'), viewport);
    const charts = await boxesOf(page);
    expect(charts).toHaveLength(5);
    // The weight chart names every step and the end of the routes; the others share its markers.
    const steps = run === 'canary' ? ['step 1', 'step 2', 'step 3', 'promoted'] : ['step 1', 'step 2', 'promoted'];
    expect(charts[0]!.notes.filter((n) => /\b(step|mark)\b/.test(n.kind)).map((n) => n.text)).toEqual(steps);
    if (run === 'overlays') expect(charts[0]!.notes.map((n) => n.text).concat(charts[1]!.notes.map((n) => n.text))).toEqual(expect.arrayContaining(['fault delay 20ms on 50%', 'mirror 50% to v2']));
    expect(charts.flatMap((c) => c.rules).length, 'threshold lines drawn').toBeGreaterThan(0);
    for (const { chart, plot, notes, rules } of charts) {
      // Marker labels stand in the band above the plotting area, off the data (e.g. the 100% line).
      for (const n of notes.filter((m) => /\b(step|mark)\b/.test(m.kind))) expect(n.y + n.h, `"${n.text}" above the plot`).toBeLessThanOrEqual(plot.y);
      for (const [i, a] of notes.entries()) {
        expect(a.w * a.h, `"${a.text}" is rendered`).toBeGreaterThan(0);
        expect(a.x >= chart.x && a.x + a.w <= chart.x + chart.w && a.y >= chart.y, `"${a.text}" inside its chart`).toBe(true);
        for (const b of notes.slice(i + 1)) expect(overlap(a, b), `"${a.text}" overlaps "${b.text}" (${JSON.stringify([a, b])})`).toBe(false);
        for (const r of rules) expect(overlap(a, r), `"${a.text}" lies on a threshold line`).toBe(false);
      }
    }
    await screenshot(page, `labels-${run}-${viewport}`);
    expect(trouble.pageErrors).toEqual([]);
    expect(trouble.cspViolations).toEqual([]);
    await close();
  });
});
