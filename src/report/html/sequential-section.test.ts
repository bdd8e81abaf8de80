import { describe, expect, it } from 'vitest';
import { loadRunResult, loadSequentialRunResult, XSS } from '../../../test/unit/report/fixture.js';
import type { SequentialPoint } from '../../model/result.js';
import { keyNumbers, MAX_LISTED, sequentialSection } from './sequential-section.js';

const page = sequentialSection(loadSequentialRunResult()).html.html;
/** The markup of one test's panel. */
const panelOf = (markup: string, id: string) => markup.slice(markup.indexOf(`<div class="seq-test" id="${id}">`)).split(/\n(?=<div class="seq-test"|<h3|<script)/)[0]!;

describe('sequentialSection', () => {
  it('is absent for a run without sequential tests', () => {
    expect(sequentialSection(loadRunResult()).html.html).toBe('');
  });

  it('a heading per step (saying a step ended early), a panel per test with its sentence, both chart boxes and the data block', () => {
    expect(page).toContain('<h3 id="seq-step-2">Step 2 · canary 10% · <span class="d-rollback">rollback</span> · <span class="early">ended early: certain regression</span></h3>');
    expect(page).toContain('<h3 id="seq-step-1">Step 1 · canary 5% · <span class="d-continue">continue</span></h3>');
    const regression = panelOf(page, 'seq-2-2');
    expect(regression).toContain('<p class="seq-caption"><span class="d-rollback">certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)</span></p>');
    expect(regression).toContain('<div class="chart" id="seq-2-2-cs" role="img" aria-label="99% confidence sequence of canary − stable error rate over the step, with the no-difference line and the margin">');
    expect(regression).toContain('<div class="chart" id="seq-2-2-e" role="img" aria-label="E-value over the step on a log scale, against the bound 1/α = 100, crossed at 14 s">');
    expect(panelOf(page, 'seq-1-2')).toContain('no certain conclusion by the step&#39;s end (e-value 0.339 &lt; 100)');
    expect(panelOf(page, 'seq-2-1')).toContain('aria-label="99% confidence sequence of canary error rate over the step, with the SLO bound">');
    expect(page.match(/<script type="application\/json" id="sequential-data">/g)).toHaveLength(1);
  });

  it('the key numbers beside the charts, and every look folded beneath, the crossing marked', () => {
    const regression = panelOf(page, 'seq-2-2');
    expect(regression).toContain('<tr><th scope="row">Crossed at</th><td>14 s</td></tr>');
    expect(regression).toContain('<tr><th scope="row">Samples then (canary / stable)</th><td>160 / 1,633</td></tr>');
    expect(regression).toContain('<tr><th scope="row">Confidence sequence at the last look (canary − stable error rate)</th><td>[−1.52pp, +14.21pp]</td></tr>');
    // A one-version test of an absolute SLO: its bound, the canary's requests alone.
    expect(panelOf(page, 'seq-2-1')).toContain('<tr><th scope="row">Samples at the last look</th><td>160 canary at 14 s</td></tr>');
    expect(panelOf(page, 'seq-2-1')).toContain('<tr><th scope="row">SLO bound</th><td>1.00%</td></tr>');
    expect(regression).toContain('<details><summary>Every look (14)</summary>');
    expect(regression.match(/<tr class="crossing"><td class="num">14 s<\/td><td class="num">125<\/td>/g)).toHaveLength(1);
    // The latency test also has a non-inferiority e-value: its own column.
    expect(panelOf(page, 'seq-2-3')).toContain('<th scope="col">Non-inferiority e-value</th>');
  });

  it('without a confidence sequence: no band box, a sentence instead, and no band column', () => {
    const r = loadSequentialRunResult();
    for (const p of r.steps[1]!.sequential![1]!.points) { delete p.lower; delete p.upper; }
    const panel = panelOf(sequentialSection(r).html.html, 'seq-2-2');
    expect(panel).not.toContain('id="seq-2-2-cs"');
    expect(panel).toContain('No confidence sequence was kept for this test');
    expect(panel).not.toContain('Confidence sequence</th>');
    expect(panel).toContain('id="seq-2-2-e"');
  });

  it('a long trace lists at most MAX_LISTED looks, says so, and keeps the crossing; clamped e-values are said', () => {
    const r = loadSequentialRunResult();
    const t = r.steps[1]!.sequential![1]!;
    t.points = Array.from({ length: 3_600 }, (_, i): SequentialPoint => ({ t: i + 1, eValue: i === 3_599 ? 1e300 : 1.003 ** i, samples: { canary: 13 * i, stable: 117 * i } }));
    t.crossedAt = 2_000;
    t.crossedAtSamples = t.points[1_999]!.samples;
    t.eValue = 1e300;
    const panel = panelOf(sequentialSection(r).html.html, 'seq-2-2');
    expect(panel).toContain(`<details><summary>${MAX_LISTED} of the 3,600 looks, evenly spaced, with the crossing</summary>`);
    expect(panel.match(/<tr[ >]/g)!.length).toBeLessThan(MAX_LISTED + 20);
    expect(panel).toMatch(/<tr class="crossing"><td class="num">33 min 20 s<\/td>/);
    expect(panel).toContain("are drawn at the chart's edge; the tables give the real numbers");
    expect(panel).toContain('<tr><th scope="row">E-value at the last look</th><td>1e+300</td></tr>');
  });

  it('escapes the names, kinds and quantities a result.json carries', () => {
    const r = loadSequentialRunResult();
    Object.assign(r.steps[1]!.sequential![0]!, { name: XSS, kind: XSS, quantity: XSS });
    r.steps[1]!.label = XSS;
    const markup = sequentialSection(r).html.html;
    expect(markup).not.toContain('<img');
    expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt; (&lt;img src=x onerror=alert(1)&gt;, α = 0.01)');
  });

  it('key numbers of a test without a conclusion leave out the crossing', () => {
    const rows = keyNumbers(loadSequentialRunResult().steps[0]!.sequential![1]!).map(([k]) => k);
    expect(rows).toEqual(['Decision', 'Bound 1/α', 'E-value at the last look', 'Samples at the last look', 'Confidence sequence at the last look (canary − stable error rate)', 'Non-inferiority margin']);
  });
});
