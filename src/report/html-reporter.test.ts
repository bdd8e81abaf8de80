import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadHostileRunResult, loadRunResult, loadSequentialRunResult, XSS } from '../../test/unit/report/fixture.js';
import { renderHtmlReport } from './html-reporter.js';

const page = renderHtmlReport(loadRunResult());

/** The text of the first match of `re` (group 1), or fails the test. */
function grab(text: string, re: RegExp): string {
  const m = re.exec(text);
  expect(m, `expected ${re} to match`).not.toBeNull();
  return m![1]!;
}

/** The page without its executable inline scripts (the chart library and the chart script). */
const markupOf = (text: string) => text.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('renderHtmlReport: self-contained and locked down', () => {
  it('has a strict CSP meta tag before the stylesheet, allowing exactly its stylesheet and scripts by hash', () => {
    const csp = grab(page, /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).not.toMatch(/unsafe-|data:|blob:|\*/);
    const css = grab(page, /<style>([\s\S]*?)<\/style>/);
    expect(csp).toContain(`style-src ${sha256(css)};`);
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(csp).toContain(`script-src ${scripts.map(sha256).join(' ')};`);
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(page.indexOf('Content-Security-Policy')).toBeLessThan(page.indexOf('<style>'));
    expect(page.match(/<style>/g)).toHaveLength(1);
  });

  it('inlines uPlot with its license, and the chart data as a JSON block', () => {
    expect(page).toContain('/*! uPlot 1.6.');
    expect(page).toContain('Copyright (c) 2022 Leon Sorokin');
    expect(page.match(/<script type="application\/json" id="chart-data">/g)).toHaveLength(1);
  });

  it('loads nothing: no external scripts, links, images, frames, style attributes, CSS urls or http(s) addresses', () => {
    const markup = markupOf(page);
    for (const needle of ['<script src', '<link', '<img', '<iframe', '<object', '<embed', ' src=', ' href=', ' style=', 'url(', '@import', 'http://', 'https://']) {
      expect(markup, needle).not.toContain(needle);
    }
    // The scripts open no connection of their own (the CSP would refuse it anyway).
    for (const needle of ['fetch(', 'XMLHttpRequest', 'WebSocket', 'sendBeacon', 'EventSource', 'import(']) {
      expect(page, needle).not.toContain(needle);
    }
  });

  it('is readable on a phone and printable', () => {
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('@media print');
    expect(page).toMatch(/\.scroll \{ overflow-x: auto/);
    // Every table sits in a scroll wrapper so wide tables scroll instead of breaking the layout.
    expect(page.match(/<table>/g)!.length).toBe(page.match(/<div class="scroll"><table>/g)!.length);
  });
});

describe('renderHtmlReport: contents', () => {
  const result = loadRunResult();

  it('opens with the verdict and summary, red for a rollback', () => {
    const header = grab(page, /(<header[\s\S]*?<\/header>)/);
    expect(header).toContain('class="verdict bad"');
    expect(header).toContain('ROLLED BACK');
    expect(header).toContain(result.summary);
    expect(page.indexOf('<header')).toBeLessThan(page.indexOf('<section'));
  });

  it('is green for a promotion', () => {
    const promoted = { ...result, outcome: 'promoted' as const, summary: 'Promoted: all 12 checks passed over 4 steps (canary now at 100%).' };
    const header = grab(renderHtmlReport(promoted), /(<header[\s\S]*?<\/header>)/);
    expect(header).toContain('class="verdict good"');
    expect(header).toContain('PROMOTED');
  });

  it('has a steps table with a row per version per step and the percentiles', () => {
    const steps = grab(page, /<section id="steps">([\s\S]*?)<\/section>/);
    const versionRows = result.steps.reduce((n, s) => n + s.stats.length, 0);
    expect(steps.match(/<tr class="(all|version)">/g)).toHaveLength(versionRows);
    expect(steps).toContain('rowspan="4"');
    expect(steps).toContain('<td class="num" rowspan="4">25%</td>');
    expect(steps).toContain('<td>v3</td><td class="num">512</td><td class="num">3</td><td class="num">0.59%</td><td class="num">44.1ms</td><td class="num">302ms</td><td class="num">412ms</td>');
  });

  it('labels the mesh\'s fault aborts in the steps table, and keeps "unknown" as it is', () => {
    const r = loadRunResult();
    const v3 = r.steps[0]!.stats.find((s) => s.version !== 'all')!;
    r.steps[0]!.stats.splice(-1, 0, { ...v3, version: 'mesh:fault-abort' }, { ...v3, version: 'unknown' });
    const steps = grab(renderHtmlReport(r), /<section id="steps">([\s\S]*?)<\/section>/);
    expect(steps).toContain('<td>answered by the mesh (fault abort)</td>');
    expect(steps).toContain('<td>unknown</td>');
    expect(steps).not.toContain('mesh:fault-abort');
  });

  it('shows a step\'s mirrored traffic as its own row, labelled as measured by the mesh', () => {
    const r = loadRunResult();
    r.steps[0]!.mirrored = { version: 'v3', measuredBy: 'mesh', count: 498, errors: 5, errorRate: 5 / 498, latency: { p50: 5.1, p95: 19.7, p99: 24.1 } };
    const steps = grab(renderHtmlReport(r), /<section id="steps">([\s\S]*?)<\/section>/);
    expect(steps).toContain('<tr class="mirrored"><td>v3: mirrored (shadow) traffic, measured by the mesh</td><td class="num">498</td><td class="num">5</td><td class="num">1.00%</td><td class="num">5.1ms</td><td class="num">19.7ms</td><td class="num">24.1ms</td></tr>');
    // The step's facts span its versions and the mirrored row.
    expect(steps).toContain(`rowspan="${r.steps[0]!.stats.length + 1}"`);
  });

  it('has the SLO table of every step with value, threshold, samples, verdict and message', () => {
    const checks = grab(page, /<section id="checks">([\s\S]*?)<\/section>/);
    expect(checks.match(/<h3 /g)).toHaveLength(result.steps.length);
    const failed = result.steps[1]!.checks.find((c) => c.verdict === 'fail')!;
    expect(checks).toContain(
      `<tr><td>${failed.name}</td><td>canary</td><td class="num">412ms</td><td class="num">≤ 250ms</td><td class="num">512</td><td class="num">—</td><td class="v-fail">FAIL</td><td class="msg">canary p99 latency 412ms &gt; 250ms max (FAIL, 512 requests)</td></tr>`,
    );
    expect(checks).toContain('<span class="d-rollback">rollback</span>');
  });

  it('lists every event with its time, the experiment and the environment', () => {
    const events = grab(page, /<section id="events">([\s\S]*?)<\/section>/);
    expect(events.match(/<tr><td class="num">/g)).toHaveLength(result.events.length);
    expect(events).toContain('2025-05-14 09:30:01 UTC');
    expect(events).toContain('+1.1s');
    const experiment = grab(page, /<section id="experiment">([\s\S]*?)<\/section>/);
    expect(experiment).toContain('apiVersion: mesh-exp.dev/v1alpha1');
    expect(experiment).toContain('virtualService: reviews');
    const env = grab(page, /<section id="environment">([\s\S]*?)<\/section>/);
    expect(env).toContain('<tr><th scope="row">generator</th><td>builtin</td></tr>');
  });

  it('is deterministic', () => {
    expect(renderHtmlReport(loadRunResult())).toBe(page);
  });

  it('has no sequential section for a run without sequential tests', () => {
    expect(page).not.toContain('<section id="sequential">');
    expect(page).not.toContain('id="sequential-data"');
  });

  it('puts the sequential section after the run charts, under the same CSP (still two scripts), and says in the step headers that a step ended early', () => {
    const seq = renderHtmlReport(loadSequentialRunResult());
    expect(seq.indexOf('<section id="charts">')).toBeLessThan(seq.indexOf('<section id="sequential">'));
    expect(seq.indexOf('<section id="sequential">')).toBeLessThan(seq.indexOf('<section id="steps">'));
    expect([...seq.matchAll(/<script>([\s\S]*?)<\/script>/g)]).toHaveLength(2);
    const steps = grab(seq, /<section id="steps">([\s\S]*?)<\/section>/);
    expect(steps).toContain('class="d-rollback">rollback<br><span class="early">ended early: certain regression</span></td>');
    const checks = grab(seq, /<section id="checks">([\s\S]*?)<\/section>/);
    expect(checks).toContain('<h3 id="step-2">Step 2 · canary 10% · <span class="d-rollback">rollback</span> · <span class="early">ended early: certain regression</span> <span class="muted">');
    expect(checks).not.toContain('<h3 id="step-1">Step 1 · canary 5% · <span class="d-continue">continue</span> · ');
  });
});

describe('renderHtmlReport: hostile strings', () => {
  const hostile = renderHtmlReport(loadHostileRunResult());

  it('renders the XSS probe as text everywhere', () => {
    expect(hostile).not.toContain('<img');
    // Only the page's own three script elements: the chart data, uPlot and the chart script.
    expect(hostile.match(/<script/g)).toHaveLength(3);
    expect(markupOf(hostile).match(/<script/g)).toHaveLength(3);
    expect(hostile).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(hostile).toContain('<title>ROLLED BACK: &lt;img src=x onerror=alert(1)&gt; · mesh-exp</title>');
    // name, summary, description, label, versions, checks, events, env, experiment: all escaped
    expect(hostile.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBeGreaterThan(20);
    expect(hostile).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(hostile.includes(XSS)).toBe(false);
  });

  it('embeds user strings in the chart data only as \\u-escaped JSON that parses back to them', () => {
    const json = grab(hostile, /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/);
    expect(json).not.toMatch(/[<>&]/);
    const data = JSON.parse(json) as { steps: { label: string }[]; versions: { name: string }[] };
    expect(data.steps[0]!.label).toBe(XSS);
    expect(data.versions.map((v) => v.name)).toContain(XSS);
  });
});

describe('renderHtmlReport: the experiment as written', () => {
  const experimentOf = (text: string) => grab(text, /<section id="experiment">([\s\S]*?)<\/section>/);

  it('shows the file as the user wrote it (units, comments), escaped, with the parsed form folded beneath', () => {
    const source = 'spec:\n  traffic:\n    shift:\n      interval: 5s # each step\n  slos:\n    - name: </code></pre><script>alert(4)</script>\n      max: 1%\n';
    const section = experimentOf(renderHtmlReport({ ...loadRunResult(), experimentSource: source }));
    expect(section).toContain('<pre><code>spec:\n  traffic:\n    shift:\n      interval: 5s # each step\n');
    expect(section).toContain('    - name: &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;\n      max: 1%\n</code></pre>');
    expect(section).not.toContain('<script>');
    expect(section).toMatch(/<details><summary>As parsed, with defaults filled in[^<]*<\/summary>\n<pre><code>apiVersion: mesh-exp.dev\/v1alpha1/);
  });

  it('shows the parsed experiment, saying so, for a result.json written without the file (older runs)', () => {
    const { experimentSource, ...old } = { ...loadRunResult(), experimentSource: undefined };
    void experimentSource;
    const section = experimentOf(renderHtmlReport(old));
    expect(section).toContain('As parsed: durations in milliseconds, percentages as fractions, defaults filled in.');
    expect(section).toContain('virtualService: reviews');
    expect(section).not.toContain('<details>');
  });
});
