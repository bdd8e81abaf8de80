/**
 * Times pages in headless Chromium (playwright-core driving the Debian package): each page is
 * opened from disk in a fresh browser context (empty cache), the network blocked, several times,
 * the pages interleaved so a noisy phase of the machine hits each alike.
 */
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';

/** One page load, ms since navigation start (the page's own clock). */
export interface PageTiming {
  /** The load event finished (HTML parsed, inline scripts run: for the report, charts drawn). */
  loadMs: number;
  /** The report's "mesh-exp:charts-drawn" mark; null on pages without charts. */
  chartsMs: number | null;
  /** Two animation frames after load: the first frame with everything drawn has been produced. */
  paintedMs: number;
  /** Wall clock around the whole navigation as the test driver sees it (context set-up excluded). */
  wallMs: number;
}

/** A page to time. */
export interface TimedPage {
  /** Name in the results. */
  name: string;
  /** The file. */
  file: string;
}

// Evaluated in the page (passed as text: the project compiles without the DOM library).
const TIMINGS = `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const mark = performance.getEntriesByName('mesh-exp:charts-drawn')[0];
  resolve({ loadMs: nav.loadEventEnd, chartsMs: mark ? mark.startTime : null, paintedMs: performance.now() });
})))`;

async function timeOnce(browser: Browser, file: string, viewport: { width: number; height: number }): Promise<PageTiming> {
  const context = await browser.newContext({ viewport });
  const url = pathToFileURL(file).href;
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  const timing = (await page.evaluate(TIMINGS)) as Omit<PageTiming, 'wallMs'>;
  const wallMs = performance.now() - t0;
  await context.close();
  if (errors.length) throw new Error(`${file}: ${errors.join('; ')}`);
  return { ...timing, wallMs };
}

/** Opens each page `rounds` times, rotating the order every round; timings per page name. */
export async function timePages(browser: Browser, pages: readonly TimedPage[], rounds: number, viewport = { width: 1280, height: 900 }): Promise<Record<string, PageTiming[]>> {
  const out: Record<string, PageTiming[]> = Object.fromEntries(pages.map((p) => [p.name, []]));
  // One unmeasured round: the first context of a browser pays for starting its renderer.
  for (const p of pages) await timeOnce(browser, p.file, viewport);
  for (let r = 0; r < rounds; r++) {
    const order = pages.map((_, i) => pages[(i + r) % pages.length]!);
    for (const p of order) out[p.name]!.push(await timeOnce(browser, p.file, viewport));
  }
  return out;
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
