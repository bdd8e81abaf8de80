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

function chartBox(id: string, label: string): SafeHtml {
  return html`<div class="chart" id="${id}" role="img" aria-label="${label}">${NO_SCRIPT}</div>`;
}

/** The section, and the chart data it embeds (returned too, for tests). */
export function chartsSection(result: RunResult): { html: SafeHtml; data: ChartData } {
  const data = buildChartData(result);
  const shifts = result.steps.some((s) => s.canaryWeight !== null);
  const markup = html`<section id="charts"><h2>Over time</h2>
<p class="muted">Time since the run started, one point per second and version. Dashed lines: step starts and the end of the experiment's routes; shaded: faults, mirrors and A/B routes in effect; red lines: SLO thresholds.</p>
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
