/**
 * The charts' legends in Chromium: with the cursor off the charts each legend shows the latest
 * value of every series (its last point), never a blank; hovering shows the values under the
 * cursor as before, and leaving the chart brings the latest values back.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChartData } from '../../../src/report/html/chart-data.js';
import { openReport, requireBrowser } from '../../support/browser.js';
import { useReportRuns } from '../../support/browser-report-runs.js';

const found = await requireBrowser();

/** Each chart's legend: rows of [label, value], the x row ("since start") first. */
function legends(page: Page): Promise<string[][][]> {
  return page.$$eval('.chart .u-legend', (tables) =>
    tables.map((t) => [...t.querySelectorAll('tr')].map((tr) => [tr.querySelector('th')!.textContent!.trim(), tr.querySelector('td')!.textContent!.trim()])),
  );
}

/** Moves the mouse to `fraction` (0–1) of the width of chart `n`'s plotting area, mid-height. */
async function hover(page: Page, n: number, fraction: number): Promise<void> {
  const box = (await page.locator('.chart .u-over').nth(n).boundingBox())!;
  await page.mouse.move(box.x + Math.min(box.width - 1, box.width * fraction), box.y + box.height / 2);
}

describe.skipIf(!found)('chart legends in Chromium', () => {
  const reports = useReportRuns(found, { canary: 'experiments/canary.yaml' });

  it('shows the latest values with the cursor off the charts, the hovered ones on hover, and the latest again after', async () => {
    const { page, trouble, close } = await openReport(reports.browser, path.join(reports.runs.canary.dir, 'report.html'));
    const data = JSON.parse((await page.textContent('#chart-data'))!) as ChartData;
    const idle = await legends(page);
    expect(idle).toHaveLength(5);
    for (const rows of idle) {
      expect(rows[0], 'the x row says the values are the latest').toEqual(['since start', 'latest']);
      for (const [label, value] of rows) expect(value, `legend value of "${label}" is blank`).not.toBe('');
    }
    // The weight set at the end of canary.yaml is its last step's, 100%.
    expect(idle[0]![1]).toEqual(['weight set', '100%']);

    // At the last point, every series whose last point is not empty shows what the idle legend showed.
    await hover(page, 0, 1);
    const atEnd = await legends(page);
    const last = data.x.length - 1;
    const p99OfStable = data.versions.find((v) => v.role === 'stable')!.p99[last];
    for (const [i, rows] of atEnd.entries()) {
      expect(rows[0]![1]).not.toMatch(/latest/);
      if (i === 1 && p99OfStable !== null) expect(rows.slice(1)).toEqual(idle[i]!.slice(1));
    }
    expect(atEnd[0]![1]).toEqual(['weight set', '100%']);

    // Early in the run the weight is the first step's, and every synced chart follows the cursor.
    await hover(page, 0, 0.05);
    const early = await legends(page);
    expect(early[0]![1]).toEqual(['weight set', '20%']);
    for (const rows of early) expect(rows[0]![1]).not.toMatch(/latest/);

    await page.mouse.move(1, 1);
    expect(await legends(page)).toEqual(idle);
    expect(trouble.pageErrors).toEqual([]);
    await close();
  });
});
