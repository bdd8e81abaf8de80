/**
 * The sequential-analysis charts of report.html in headless Chromium (network blocked): reports
 * rendered by `mesh-exp report` (in-process) from saved result.json files, so the schema check of
 * read-result.ts runs too. test/fixtures/report-sequential/result.json is a canary with three
 * sequential tests per step (an absolute error-rate SLO, error rate and latency against the
 * stable), whose step 2 ends early at 14 s on a certain error-rate regression (e-values and
 * confidence sequences computed by src/analysis/sequential from seeded seconds); a variant of it
 * carries the awkward cases (one look, no confidence sequence, e-values of 0 and 1e300, 5,000
 * looks, hostile names); and a run without sequential tests still draws its run charts and no more. Screenshots go to
 * test/artifacts/browser/.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult, SequentialPoint } from '../../../src/model/result.js';
import { launch, openReport, requireBrowser, screenshot, type PageTrouble } from '../../support/browser.js';
import { runCliInProcess } from '../../support/cli.js';

const found = await requireBrowser();

const NOTHING_WRONG: PageTrouble = { consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] };
const FIXTURE = 'test/fixtures/report-sequential/result.json';
const PLAIN = 'test/fixtures/report/run-result.json';

/** A label's box as rendered. */
interface Box { x: number; y: number; w: number; h: number }
/** Per chart box id: its canvas size, its inked pixels, and the texts and boxes of its labels. */
type Drawn = Record<string, { width: number; height: number; inked: number; notes: string[]; boxes: Box[] }>;

function drawnCharts(page: Page): Promise<Drawn> {
  return page.evaluate(`Object.fromEntries([...document.querySelectorAll('#sequential .chart')].map((box) => {
    const c = box.querySelector('canvas');
    let inked = 0;
    if (c) {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
    }
    return [box.id, { width: c ? c.width : 0, height: c ? c.height : 0, inked, notes: [...box.querySelectorAll('.chart-note')].map((n) => n.textContent),
      boxes: [...box.querySelectorAll('.chart-note')].map((n) => { const r = n.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }) }];
  }))`);
}

/** The awkward variant of the fixture: one look, no confidence sequence, e-values of 0 and 1e300, 5,000 looks, hostile names. */
function awkward(result: RunResult): RunResult {
  const [one, bare] = result.steps[0]!.sequential!;
  Object.assign(one!, { quantity: '</script><script>alert(1)</script>', kind: '<img src=x onerror=alert(2)>' });
  one!.points = one!.points.slice(-1);
  for (const p of bare!.points) {
    delete p.lower;
    delete p.upper;
  }
  const [, regression, long] = result.steps[1]!.sequential!;
  regression!.points[0]!.eValue = 0;
  regression!.points[13]!.eValue = 1e300;
  regression!.eValue = 1e300;
  long!.points = Array.from({ length: 5_000 }, (_, i): SequentialPoint => ({ t: (14 * (i + 1)) / 5_000, eValue: 1 + i / 2_000, samples: { canary: Math.round(i / 28), stable: Math.round(i / 3) }, lower: 0.6 + i / 50_000, upper: 2.5 - i / 10_000 }));
  long!.eValue = 3.5;
  return result;
}

describe.skipIf(!found)('sequential-analysis charts in Chromium', () => {
  let root = '';
  let browser: Browser;
  const pages = { sequential: '', awkward: '', plain: '' };
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-seq-browser-'));
    const saved = (name: string) => path.join(root, name, 'saved');
    for (const name of Object.keys(pages)) await mkdir(saved(name), { recursive: true });
    await copyFile(FIXTURE, path.join(saved('sequential'), 'result.json'));
    await copyFile(PLAIN, path.join(saved('plain'), 'result.json'));
    await writeFile(path.join(saved('awkward'), 'result.json'), JSON.stringify(awkward(JSON.parse(await readFile(FIXTURE, 'utf8')) as RunResult), null, 2));
    for (const name of Object.keys(pages) as (keyof typeof pages)[]) {
      const out = path.join(root, name, 'out');
      const { code, stderr } = await runCliInProcess(['report', saved(name), '--out', out]);
      expect(code, stderr).toBe(0);
      pages[name] = path.join(out, 'report.html');
    }
    browser = await launch(found!);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('draws a band and an e-value chart per test, the crossing marked at 14 s, the caption says it, without an error', async () => {
    const { page, trouble, close } = await openReport(browser, pages.sequential);
    // Weight, latency per version (v1, v3, all), error rates; then 2 steps × 3 tests × (band + e-value).
    expect(Number(await page.getAttribute('html', 'data-charts'))).toBe(5 + 12);
    const charts = await drawnCharts(page);
    expect(Object.keys(charts)).toEqual([1, 2].flatMap((s) => [1, 2, 3].flatMap((t) => [`seq-${s}-${t}-cs`, `seq-${s}-${t}-e`])));
    for (const [id, c] of Object.entries(charts)) {
      expect(c.width * c.height, id).toBeGreaterThan(100_000);
      expect(c.inked, `${id} is blank`).toBeGreaterThan(2_000);
    }
    expect(charts['seq-2-2-e']!.notes).toEqual(expect.arrayContaining(['1/α = 100', 'regression at 14 s']));
    expect(charts['seq-2-2-cs']!.notes).toEqual(expect.arrayContaining(['no difference', 'margin +1.0pp', 'regression at 14 s']));
    expect(charts['seq-2-1-cs']!.notes).toEqual(['SLO bound 1.00%']);
    expect(charts['seq-2-3-cs']!.notes).toEqual(expect.arrayContaining(['no difference', 'margin +5.0%']));
    expect(charts['seq-1-1-e']!.notes).toEqual(['1/α = 100']);
    const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const [id, c] of Object.entries(charts)) {
      for (const [i, a] of c.boxes.entries()) for (const b of c.boxes.slice(i + 1)) expect(overlap(a, b), `${id}: "${c.notes.join('", "')}" overlap`).toBe(false);
    }
    expect((await page.textContent('#seq-2-2 .seq-caption'))!.trim()).toBe('certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)');
    expect((await page.textContent('#seq-1-2 .seq-caption'))!.trim()).toBe("no certain conclusion by the step's end (e-value 0.339 < 100)");
    expect((await page.textContent('#seq-step-2'))!).toContain('ended early: certain regression');
    // The key numbers are there as text for whoever cannot see the chart.
    expect(await page.textContent('#seq-2-2 .seq-numbers')).toContain('Crossed at14 s');
    expect(trouble).toEqual(NOTHING_WRONG);
    await screenshot(page, 'sequential-desktop');
    await close();
  });

  it('one look, no band, e-values of 0 and 1e300, 5,000 looks, hostile names: drawn without an error (or a dialog), the real numbers printed', async () => {
    const { page, trouble, close } = await openReport(browser, pages.awkward);
    const charts = await drawnCharts(page);
    // No confidence sequence: no band chart for that test, a sentence instead.
    expect(Object.keys(charts)).toEqual(['seq-1-1-cs', 'seq-1-1-e', 'seq-1-2-e', 'seq-1-3-cs', 'seq-1-3-e', 'seq-2-1-cs', 'seq-2-1-e', 'seq-2-2-cs', 'seq-2-2-e', 'seq-2-3-cs', 'seq-2-3-e']);
    expect(await page.textContent('#seq-1-2')).toContain('No confidence sequence was kept for this test');
    expect(await page.textContent('#seq-1-1 h4')).toBe('canary-error-rate (<img src=x onerror=alert(2)>, α = 0.01)');
    for (const [id, c] of Object.entries(charts)) expect(c.inked, `${id} is blank`).toBeGreaterThan(1_000);
    expect(await page.textContent('#seq-2-2 .seq-numbers')).toContain('E-value at the last look1e+300');
    expect(await page.textContent('#seq-2-2')).toContain("are drawn at the chart's edge");
    expect(await page.textContent('#seq-2-3 details summary')).toBe('120 of the 5,000 looks, evenly spaced');
    expect(trouble).toEqual(NOTHING_WRONG);
    await screenshot(page, 'sequential-awkward');
    await close();
  });

  it('fits a phone screen with the sequential panels (only tables scroll sideways) and prints them', async () => {
    const { page, trouble, close } = await openReport(browser, pages.sequential, 'phone');
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    expect(Object.values(await drawnCharts(page)).every((c) => c.inked > 1_000)).toBe(true);
    await screenshot(page, 'sequential-phone');
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(200);
    expect(Object.values(await drawnCharts(page)).every((c) => c.inked > 1_000)).toBe(true);
    expect(trouble).toEqual(NOTHING_WRONG);
    await close();
  });

  it('a run without sequential tests renders as before: its run charts only, no sequential section', async () => {
    const { page, trouble, close } = await openReport(browser, pages.plain);
    // Weight, latency per version (v1, v3, unknown, all), error rates.
    expect(Number(await page.getAttribute('html', 'data-charts'))).toBe(6);
    expect(await page.$('#sequential')).toBeNull();
    expect(trouble).toEqual(NOTHING_WRONG);
    await close();
  });
});
