/**
 * A game day's index.html in headless Chromium, network blocked: a real short day's page (and the
 * same page rendered again with markup as the day's and an experiment's name, as a tampered
 * result.json would carry) shows the verdict, one row per experiment linking to report.html files
 * that exist, and the timeline, with no console error, page error, CSP violation, dialog or request.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGameDayReports } from '../../../src/gameday/reports.js';
import type { GameDayResult } from '../../../src/model/gameday-result.js';
import { runCliInProcess } from '../../support/cli.js';
import { launch, openReport, requireBrowser, screenshot } from '../../support/browser.js';

const found = await requireBrowser();
const XSS = '<img src=x onerror=alert(1)>';

describe.skipIf(!found)('a game day\'s index.html in Chromium', () => {
  let root: string;
  let browser: Browser;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-browser-'));
    const { code, stderr } = await runCliInProcess(['run', 'test/fixtures/gameday/short-day.yaml', '--report-dir', path.join(root, 'day'), '--no-progress']);
    if (code !== 0) throw new Error(stderr);
    browser = await launch(found!);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('shows the verdict, a linked row per experiment and the timeline, with nothing blocked or failing', async () => {
    const file = path.join(root, 'day', 'index.html');
    const { page, trouble, close } = await openReport(browser, file, 'desktop', { charts: false });
    expect(await page.textContent('header .outcome')).toBe('GAME DAY PASSED');
    expect(await page.textContent('h1')).toBe('short-day');
    expect(await page.$$eval('#experiments tbody tr', (rows) => rows.length)).toBe(2);
    const hrefs = await page.$$eval('#experiments a', (links) => links.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs).toHaveLength(2);
    for (const href of hrefs) expect(existsSync(fileURLToPath(href)), href).toBe(true);
    expect(await page.$$eval('svg.timeline rect', (bars) => bars.length)).toBe(2);
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    await screenshot(page, 'gameday-index-desktop');
    expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] });
    await close();
    const phone = await openReport(browser, file, 'phone', { charts: false });
    await screenshot(phone.page, 'gameday-index-phone');
    expect(phone.trouble).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] });
    await phone.close();
  });

  it('renders markup in the day\'s name, description and an experiment\'s name and summary as text', async () => {
    const dir = path.join(root, 'day');
    const result = JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as GameDayResult;
    const tampered: GameDayResult = { ...result, name: XSS, description: XSS, experiments: result.experiments.map((e, i) => (i === 1 ? { ...e, name: XSS, summary: `</title><script>alert(2)</script>` } : e)) };
    const hostile = path.join(root, 'hostile');
    const { cp } = await import('node:fs/promises');
    await cp(dir, hostile, { recursive: true });
    await writeGameDayReports(tampered, hostile);
    const { page, trouble, close } = await openReport(browser, path.join(hostile, 'index.html'), 'desktop', { charts: false });
    expect(await page.textContent('h1')).toBe(XSS);
    expect(await page.textContent('header .description')).toBe(XSS);
    expect(await page.title()).toBe(`PASS: game day ${XSS} · mesh-exp`);
    expect(await page.evaluate('document.querySelectorAll("img, script, iframe").length')).toBe(0);
    expect(await page.evaluate('[...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length')).toBe(0);
    expect(await page.$$eval('#experiments tbody tr:nth-child(2) td.msg', (tds) => tds.map((td) => td.textContent))).toEqual(['</title><script>alert(2)</script>']);
    expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] });
    await close();
  });
});
