/**
 * report.html of real runs (the CLI in-process on the local mesh), opened from disk in headless
 * Chromium with the network blocked: the charts draw, nothing errs or reaches out, the verdict and
 * the SLO tables say what result.json says, and the page fits a phone and prints. Screenshots go
 * to test/artifacts/browser/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeLook, verdictLabel } from '../../../src/report/present.js';
import { canvasInk, openReport, requireBrowser, screenshot, type PageTrouble } from '../../support/browser.js';
import { useReportRuns } from '../../support/browser-report-runs.js';

const found = await requireBrowser();

const NOTHING_WRONG: PageTrouble = { consoleErrors: [], pageErrors: [], cspViolations: [], dialogs: [], requests: [] };

describe.skipIf(!found)('report.html in Chromium', () => {
  const reports = useReportRuns(found, { bad: 'experiments/canary-bad.yaml', overlays: 'test/fixtures/report/browser-canary.yaml' }, [0, 1]);
  const { runs } = reports; // filled in by beforeAll
  it("canary-bad.yaml: the first sentence names the failed check, the step and by how much it missed", async () => {
    const { result, dir } = runs.bad;
    const { page, trouble, close } = await openReport(reports.browser, path.join(dir, 'report.html'));
    const sentence = (await page.textContent('header .summary'))!.split(/(?<=\.) /)[0]!;
    const failed = result.steps[0]!.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
    const m = /^Rolled back at step 1 \(canary 25%\): (\S+) was \S+ against a \S+ max \(\+\d+(\.\d)?%\) over \d+ requests\.$/.exec(sentence);
    expect(m, sentence).not.toBeNull();
    expect(failed).toContain(m![1]);
    expect(trouble).toEqual(NOTHING_WRONG);
    await screenshot(page, 'canary-bad-desktop');
    await close();
  });

  it.each(['bad', 'overlays'] as const)('%s: draws every chart from disk with the network blocked, without an error', async (name) => {
    const { page, trouble, close } = await openReport(reports.browser, path.join(runs[name].dir, 'report.html'));
    const drawn = Number(await page.getAttribute('html', 'data-charts'));
    // Weight, one latency chart per version seen (stable, canary, all) and the error rates.
    expect(drawn).toBe(5);
    const ink = await canvasInk(page);
    expect(ink).toHaveLength(drawn);
    for (const c of ink) {
      expect(c.width * c.height).toBeGreaterThan(100_000);
      expect(c.inked, 'a chart canvas is blank').toBeGreaterThan(2_000);
    }
    expect(await page.locator('.chart .u-legend').count()).toBe(drawn);
    expect(trouble).toEqual(NOTHING_WRONG);
    await close();
  });

  it.each(['bad', 'overlays'] as const)('%s: the verdict and every SLO table row say what result.json says', async (name) => {
    const { result, dir } = runs[name];
    const { page, close } = await openReport(reports.browser, path.join(dir, 'report.html'));
    expect((await page.textContent('header .outcome'))!.trim()).toBe(outcomeLook(result.outcome).label);
    expect((await page.textContent('header .summary'))!.trim()).toBe(result.summary);
    for (const step of result.steps) {
      const rows = await page.$$eval(`#step-${step.index + 1} + .scroll tbody tr`, (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t')));
      expect(rows.map((r) => [r[0], r[1], Number(r[4]), r[6], r[7]])).toEqual(step.checks.map((c) => [c.name, c.subject, c.samples, verdictLabel(c.verdict), c.message]));
    }
    await close();
  });

  it('shows the fault and mirror that were in effect, and when', async () => {
    const { page, close } = await openReport(reports.browser, path.join(runs.overlays.dir, 'report.html'));
    const rows = await page.$$eval('#changes tbody tr', (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t').slice(0, 2)));
    expect(rows).toEqual([['fault', 'fault delay 20ms on 50%'], ['mirror', 'mirror 50% to v2']]);
    await screenshot(page, 'overlays-desktop');
    await close();
  });

  it.each(['bad', 'overlays'] as const)('%s: fits a phone screen (only tables scroll sideways) and prints with its charts', async (name) => {
    const { page, trouble, close } = await openReport(reports.browser, path.join(runs[name].dir, 'report.html'), 'phone');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `${name}-phone`);
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(200);
    expect((await canvasInk(page)).every((c) => c.inked > 2_000)).toBe(true);
    await screenshot(page, `${name}-print`);
    expect(trouble).toEqual(NOTHING_WRONG);
    await close();
  });
});
