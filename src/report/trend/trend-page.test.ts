import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findRegressions } from '../../history/regression.js';
import { historyEntry, seededRun } from '../../../test/support/history-entries.js';
import { buildTrendData } from './trend-data.js';
import { renderTrendPage } from './trend-page.js';

const XSS = '<img src=x onerror=alert(1)>';
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const entries = [
  { ...seededRun(1, 1000), experiment: 'a' },
  { ...seededRun(2, 2000, { scale: 1.3 }), experiment: 'a', outcome: 'rolled-back' as const },
  historyEntry(XSS, 3000, { gameDay: { name: `"${XSS}`, dir: 'gd' }, runDir: `</script>${XSS}`, partial: true, outcome: 'interrupted' }),
];
const regressions = findRegressions(entries);
const page = renderTrendPage(entries, regressions, { source: `reports/${XSS}/index.jsonl` });

describe('trend.html', () => {
  it('allows exactly its stylesheet and scripts by hash, with Trusted Types required, and loads nothing', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!;
    const css = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(csp).toContain(`style-src ${sha256(css)};`);
    expect(csp).toContain(`script-src ${scripts.map(sha256).join(' ')};`);
    expect(csp).toContain("require-trusted-types-for 'script'");
    // A page without the hostile strings: their escaped text would contain " src=" as text.
    const markup = renderTrendPage(entries.slice(0, 2), regressions, { source: 'reports/index.jsonl' }).replace(/<script>[\s\S]*?<\/script>/g, '');
    for (const needle of ['<script src', '<link', '<img', ' src=', ' href=', ' style=', 'http://', 'https://']) expect(markup, needle).not.toContain(needle);
  });

  it('escapes every user string: names, game days, run directories, the source', () => {
    expect(page).not.toContain(XSS);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // In the embedded JSON, < and > are \u escapes, so no string can close the data block.
    const json = /<script type="application\/json" id="trend-data">([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(json).not.toMatch(/[<>]/);
    expect(JSON.parse(json).experiments[1].name).toBe(XSS);
  });

  it('states the regression test with its α, flags the 30% slower run, and marks the partial one', () => {
    expect(page).toMatch(/Mann-Whitney U.*family-wise α = 0\.01/);
    expect(page).toContain('REGRESSION: latency +');
    expect(page).toContain('INTERRUPTED (partial)');
    const data = buildTrendData(entries, regressions);
    expect(data.experiments.map((e) => e.runs.map((r) => r.regressed))).toEqual([[false, true], [false]]);
    expect(data.experiments[0]!.x).toEqual([1, 2]);
    expect(data.experiments[0]!.canaryP99[1]).toBe(entries[1]!.lastStep!.canary.p99);
  });

  it('is pure: the same history gives the same bytes', () => {
    expect(renderTrendPage(entries, regressions, { source: `reports/${XSS}/index.jsonl` })).toBe(page);
  });
});
