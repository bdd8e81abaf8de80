/**
 * Opens report.html files in a real headless Chromium (the Debian package) driven by
 * playwright-core, with the network blocked: every request that is not the file itself is
 * aborted and recorded. Collects what must never happen on a report page: console errors, page
 * errors, Content-Security-Policy violations, dialogs (alert/confirm/prompt) and network attempts.
 * A missing browser or playwright-core skips loudly outside CI and fails under CI=true.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { requirePackage, requireTool } from './require-tool.js';

/** Where screenshots go (ignored by git). */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts/browser');

type Playwright = typeof import('playwright-core');

/** chromium's path and playwright-core, or undefined (after a loud notice) when either is absent outside CI. */
export async function requireBrowser(): Promise<{ chromium: string; playwright: Playwright } | undefined> {
  const chromium = requireTool(process.env['CHROMIUM'] ?? 'chromium', 'the report browser tests (apt-get install chromium)');
  const playwright = await requirePackage<Playwright>('playwright-core', 'the report browser tests (npm ci installs it)');
  return chromium && playwright ? { chromium, playwright } : undefined;
}

/** Launches headless Chromium; offline by flag as well as by routing. */
export function launch(found: { chromium: string; playwright: Playwright }): Promise<Browser> {
  return found.playwright.chromium.launch({ executablePath: found.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** What went wrong on a page (each list must stay empty). */
export interface PageTrouble {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
  dialogs: string[];
  requests: string[];
}

/** Viewports the tests render at. */
export const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;

/**
 * Opens `file` in a new context with `viewport`, waits for the chart script to finish (its
 * `data-charts` attribute) or fails after 10 s, and returns the page and what went wrong on it.
 * `charts: false` for a page without charts (a game day's index.html): it waits for the load only.
 */
export async function openReport(browser: Browser, file: string, viewport: keyof typeof VIEWPORTS = 'desktop', options: { charts?: boolean } = {}): Promise<{ page: Page; trouble: PageTrouble; close(): Promise<void> }> {
  const context = await browser.newContext({ ...VIEWPORTS[viewport], javaScriptEnabled: true });
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] };
  const url = pathToFileURL(file).href;
  await context.route('**/*', (route) => {
    const asked = route.request().url();
    if (asked === url) return route.continue();
    trouble.requests.push(asked);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && trouble.consoleErrors.push(m.text())));
  page.on('pageerror', (e) => void trouble.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    trouble.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // Injected by the browser (not as page content), so the page's own CSP does not apply to it.
  await page.exposeFunction('__meshExpCsp', (text: string) => void trouble.cspViolations.push(text));
  // Browser-side code is passed as text: the project compiles without the DOM library.
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => window.__meshExpCsp(e.violatedDirective + ': ' + e.blockedURI));",
  });
  await page.goto(url, { waitUntil: 'load' });
  if (options.charts === false) return { page, trouble, close: () => context.close() };
  await page.waitForSelector('html[data-charts]', { timeout: 10_000, state: 'attached' }).catch((err: Error) => {
    throw new Error(`the chart script did not finish: ${err.message.split('\n')[0]}; on the page: ${JSON.stringify(trouble)}`);
  });
  return { page, trouble, close: () => context.close() };
}

/** Saves a full-page screenshot as test/artifacts/browser/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** For each <canvas> on the page: its size and how many of its pixels are not transparent. */
export function canvasInk(page: Page): Promise<{ width: number; height: number; inked: number }[]> {
  return page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    return { width: c.width, height: c.height, inked };
  })`);
}
