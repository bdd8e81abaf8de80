/**
 * XSS: an experiment whose name, description, SLO names and a request header value are markup.
 * A real run writes the report; the name (which the spec restricts to a Kubernetes name) is then
 * set to the probe in result.json and the report rendered again with `mesh-exp report`, as a
 * tampered or hand-written file would be. In Chromium every probe must read as text: no dialog,
 * no <img> element, no inline handler, no CSP violation.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/model/result.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { launch, openReport, requireBrowser, screenshot } from '../../support/browser.js';

const found = await requireBrowser();
const XSS = '<img src=x onerror=alert(1)>';

/** Runs the CLI; a usage or runtime error fails the set-up with what it printed. */
async function cli(argv: string[]): Promise<number> {
  const { code, stderr } = await runCliInProcess(argv);
  if (code > 1) throw new Error(stderr);
  return code;
}

describe.skipIf(!found)('hostile strings in report.html', () => {
  let root: string;
  let browser: Browser;
  let result: RunResult;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-xss-'));
    await cli(['run', 'test/fixtures/report/hostile-strings.yaml', '--report-dir', root, '--no-progress']);
    const file = path.join(root, 'result.json');
    result = { ...(JSON.parse(await readFile(file, 'utf8')) as RunResult), name: XSS };
    await writeFile(file, JSON.stringify(result));
    expect(await cli(['report', root])).toBe(0);
    browser = await launch(found!);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('renders an experiment named <img src=x onerror=alert(1)> as text, everywhere', async () => {
    const { page, trouble, close } = await openReport(browser, path.join(root, 'report.html'));
    expect(await page.evaluate('document.querySelectorAll("img, iframe, object, embed").length')).toBe(0);
    expect(await page.evaluate('[...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length')).toBe(0);
    // Only the page's own scripts: chart data, uPlot, the chart script.
    expect(await page.evaluate('document.scripts.length')).toBe(3);
    expect(await page.textContent('h1')).toBe(XSS);
    expect(await page.title()).toBe(`${result.outcome === 'promoted' ? 'PROMOTED' : 'ROLLED BACK'}: ${XSS} · mesh-exp`);
    expect(await page.textContent('header .description')).toBe(XSS);
    const names = await page.$$eval('#step-1 + .scroll tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
    expect(names).toEqual([XSS, '</script><script>alert(2)</script>']);
    // The file as written, kept in result.json and shown again by `mesh-exp report`: units as the user wrote them.
    const source = await readFile(path.join(REPO_ROOT, 'test/fixtures/report/hostile-strings.yaml'), 'utf8');
    expect(await page.textContent('#experiment pre')).toBe(source);
    expect(source).toContain('x-note: <img src=x onerror=alert(3)>');
    expect(source).toContain('interval: 2s');
    expect(Number(await page.getAttribute('html', 'data-charts'))).toBeGreaterThan(0);
    expect(trouble).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] });
    await screenshot(page, 'xss-desktop');
    await close();
  });
});
