/**
 * trend.html of real runs opened from disk in headless Chromium with the network blocked: every
 * chart draws (three per experiment, each with ink), nothing errs, violates the CSP, opens a
 * dialog or reaches out; a hostile experiment name in the history stays text. Screenshots go to
 * test/artifacts/browser/.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { canvasInk, launch, openReport, requireBrowser, screenshot, type PageTrouble } from '../../support/browser.js';
import { runCliInProcess } from '../../support/cli.js';
import { useHistoryRuns } from '../../support/history-runs.js';

const found = await requireBrowser();
const NOTHING_WRONG: PageTrouble = { consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] };
const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!found)('trend.html in Chromium', () => {
  const runs = useHistoryRuns();
  let browser: Browser;
  beforeAll(async () => {
    // A hostile name: the last real line again under another experiment name.
    const index = path.join(runs.cwd, 'reports/index.jsonl');
    const last = (await readFile(index, 'utf8')).trim().split('\n').at(-1)!;
    await appendFile(index, `${JSON.stringify({ ...JSON.parse(last), experiment: XSS, gameDay: { name: XSS, dir: 'gd' } })}\n`);
    const { code, stderr } = await runCliInProcess(['report', '--trend'], runs.cwd);
    expect(code, stderr).toBe(0);
    browser = await launch(found!);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(['desktop', 'phone'] as const)('%s: draws three charts per experiment with the network blocked, without an error', async (viewport) => {
    const { page, trouble, close } = await openReport(browser, path.join(runs.cwd, 'reports/trend.html'), viewport);
    const drawn = Number(await page.getAttribute('html', 'data-charts'));
    expect(drawn).toBe(9);
    const ink = await canvasInk(page);
    expect(ink).toHaveLength(drawn);
    for (const c of ink) expect(c.inked, 'a chart canvas is blank').toBeGreaterThan(1_000);
    expect(await page.locator('.chart .u-legend').count()).toBe(drawn);
    expect(trouble).toEqual(NOTHING_WRONG);
    // The hostile name is text, in a heading and the charts' labels, never an element.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('h2', { hasText: XSS }).count()).toBe(1);
    expect(await page.textContent('#regression-test')).toContain('α = 0.01');
    await screenshot(page, `trend-${viewport}`);
    await close();
  });
});
