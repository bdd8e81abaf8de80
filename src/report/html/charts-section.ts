/**
 * The "Over time" section: the weight timeline with step markers, latency p50/p95/p99 per version
 * and error rate per version, drawn by the page script from data embedded as JSON. Each chart box
 * says in text that it needs JavaScript until the script replaces that text, so a viewer that
 * blocks scripts still reads a sensible page (the tables hold the same figures per step).
 */
import { buildChartData, type ChartData } from './chart-data.js';
import { html, trustedHtml, type SafeHtml } from './escape.js';
import type { RunResult } from '../../model/result.js';

/**
 * JSON safe inside a <script type="application/json"> element: `<`, `>` and `&` are written as
 * \u escapes (so no user string can close the element or open a comment), and so are U+2028/2029.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NO_SCRIPT = 'The charts need JavaScript; the tables below hold the same figures per step.';

/** A chart's box: the page script draws into it, replacing the text that says the charts need JavaScript. */
export function chartBox(id: string, label: string): SafeHtml {
  return html`<div class="chart" id="${id}" role="img" aria-label="${label}">${NO_SCRIPT}</div>`;
}

/**
 * How wide the points are, in words: "one point per second and version", or for a long run (whose
 * seconds the runner merged) "one point per 30 s and version (each point's percentiles are over
 * its whole 30 s, not averages)".
 */
export function pointsSaid(result: RunResult): string {
  const widths = [...new Set(result.steps.filter((s) => s.timeline.length > 0).map((s) => s.timelineSeconds ?? 1))].sort((a, b) => a - b);
  if (widths.length === 0 || (widths.length === 1 && widths[0] === 1)) return 'one point per second and version';
  const said = (s: number) => (s % 60 === 0 ? `${s / 60} min` : `${s} s`);
  const per = widths.map(said).join(' or ');
  return `one point per ${per} and version (a long run: each point's percentiles are over its whole window, not averages of seconds)`;
}

/** The section, and the chart data it embeds (returned too, for tests). */
export function chartsSection(result: RunResult): { html: SafeHtml; data: ChartData } {
  const data = buildChartData(result);
  const shifts = result.steps.some((s) => s.canaryWeight !== null);
  const markup = html`<section id="charts"><h2>Over time</h2>
<p class="muted">Time since the run started, ${pointsSaid(result)}. Dashed lines: step starts and the end of the experiment's routes; shaded: faults, mirrors and A/B routes in effect; red lines: SLO thresholds.</p>
<h3>${shifts ? 'Canary weight (set, and share of requests seen)' : 'Share of requests seen'}</h3>
${chartBox('chart-weight', 'Canary weight over time, with step markers')}
<h3>Latency p50, p95, p99 per version</h3>
${chartBox('chart-latency', 'Latency percentiles over time, one chart per version')}
<h3>Error rate per version</h3>
${chartBox('chart-errors', 'Error rate over time per version')}
<script type="application/json" id="chart-data">${trustedHtml(embedJson(data))}</script>
</section>`;
  return { html: markup, data };
}
