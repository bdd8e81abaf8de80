/**
 * report.html: one self-contained page (no network: stylesheet, chart library and chart script
 * inlined and allowed by their hashes in a strict Content-Security-Policy; the chart data embedded
 * as JSON), readable on a phone and printable. Every user string is escaped (html/escape.ts).
 */
import type { RunResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { CHART_SCRIPT } from './html/chart-script.js';
import { chartLibrary } from './html/chart-library.js';
import { changesSection } from './html/changes-table.js';
import { chartsSection } from './html/charts-section.js';
import { checksTables } from './html/checks-tables.js';
import { compareSection } from './html/compare-section.js';
import { environmentTable, eventsTable, experimentBlock } from './html/details.js';
import { html, trustedHtml, type SafeHtml } from './html/escape.js';
import { stepsTable } from './html/steps-table.js';
import { viewsTable } from './html/views-table.js';
import { requestsTable } from './html/requests-table.js';
import { sequentialSection } from './html/sequential-section.js';
import { REPORT_CSS } from './html/styles.js';
import { pageHead } from './html/page-head.js';
import { experimentDescription, formatSpan, formatTimestamp, outcomeLook } from './present.js';
import { createFileReporter } from './file-reporter.js';
import type { Reporter, ReportOptions } from './types.js';

/** File name the HTML reporter writes. */
export const HTML_REPORT_FILE = 'report.html';

function header(result: RunResult): SafeHtml {
  const look = outcomeLook(result.outcome);
  const description = experimentDescription(result.experiment);
  return html`${partialBanner(result)}<header class="verdict ${look.tone}">
<p class="outcome">${look.label}</p>
<h1>${result.name}</h1>
${description ? html`<p class="description">${description}</p>` : ''}
<p class="summary">${result.summary}</p>
<dl class="facts">
<div><dt>Started</dt><dd>${formatTimestamp(result.startedAt)}</dd></div>
<div><dt>Duration</dt><dd>${formatSpan(result.endedAt - result.startedAt)}</dd></div>
<div><dt>Steps</dt><dd>${result.steps.length}</dd></div>
<div><dt>Mesh restored</dt><dd>${result.restored ? 'yes' : 'NO'}</dd></div>
<div><dt>Exit code</dt><dd>${result.exitCode}</dd></div>
</dl>
${result.error ? html`<p><strong>Error:</strong> ${result.error}</p>` : ''}
</header>`;
}

/** The banner of a partial report (written by `mesh-exp recover` from the steps of a killed run). */
function partialBanner(result: RunResult): SafeHtml | string {
  if (!result.partial) return '';
  return html`<p class="partial" role="alert">PARTIAL REPORT: ${result.partialReason ?? 'the run did not finish'}. Only the ${result.steps.length} step(s) that finished are shown.</p>
`;
}

/**
 * Renders the whole report page. Pure: the same result gives the same bytes. The page inlines
 * its stylesheet, the chart library and the chart script, each allowed by its hash in the CSP.
 */
export function renderHtmlReport(result: RunResult, options: ReportOptions = {}): string {
  const look = outcomeLook(result.outcome);
  const lib = chartLibrary();
  const css = `${REPORT_CSS}\n${lib.css}\n`;
  const scripts = [lib.js, CHART_SCRIPT];
  const charts = chartsSection(result);
  const page = html`${pageHead(`${result.partial ? 'PARTIAL ' : ''}${look.label}: ${result.name} · mesh-exp`, css, scripts)}
<body>
${header(result)}
<main>
${charts.html}
${sequentialSection(result).html}
<section id="steps"><h2>Steps</h2>
${stepsTable(result.steps)}
</section>
${viewsTable(result.steps)}${requestsTable(result.steps)}
<section id="checks"><h2>SLO checks</h2>
${checksTables(result.steps)}
</section>
${changesSection(result)}
${options.previous ? compareSection(result, options.previous) : ''}
<section id="events"><h2>Events</h2>
${eventsTable(result)}
</section>
<section id="experiment"><h2>Experiment as run</h2>
${experimentBlock(result.experiment, result.experimentSource)}
</section>
<section id="environment"><h2>Environment</h2>
${environmentTable(result.environment, result.experiment)}
</section>
</main>
<footer>Written by mesh-exp ${VERSION}. Self-contained: this file loads nothing from the network. Charts drawn with uPlot ${lib.version} (MIT license, inlined).</footer>
${scripts.map((js) => html`<script>${trustedHtml(js)}</script>\n`)}</body>
</html>
`;
  return page.html;
}

/** Creates the "html" reporter. */
export function createHtmlReporter(): Reporter {
  return createFileReporter('html', HTML_REPORT_FILE, renderHtmlReport);
}
