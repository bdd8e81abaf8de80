/**
 * report.html: one self-contained page (no network: inline CSS allowed by hash, no scripts, a
 * strict Content-Security-Policy), readable on a phone and printable. Every user string is
 * escaped (html/escape.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../runner/result.js';
import { VERSION } from '../version.js';
import { checksTables } from './html/checks-tables.js';
import { environmentTable, eventsTable, experimentBlock } from './html/details.js';
import { html, trustedHtml, type SafeHtml } from './html/escape.js';
import { stepsTable } from './html/steps-table.js';
import { viewsTable } from './html/views-table.js';
import { REPORT_CSS, contentSecurityPolicy } from './html/styles.js';
import { experimentDescription, formatSpan, formatTimestamp, outcomeLook } from './present.js';
import type { Reporter } from './types.js';

/** File name the HTML reporter writes. */
export const HTML_REPORT_FILE = 'report.html';

function header(result: RunResult): SafeHtml {
  const look = outcomeLook(result.outcome);
  const description = experimentDescription(result.experiment);
  return html`<header class="verdict ${look.tone}">
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

/** Renders the whole report page. Pure: the same result gives the same bytes. */
export function renderHtmlReport(result: RunResult): string {
  const look = outcomeLook(result.outcome);
  // The CSP goes before <style> so it governs it. It is trusted as is: literals and base64 only,
  // no double quote, so it cannot leave its attribute (and stays readable without &#39;).
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trustedHtml(contentSecurityPolicy(REPORT_CSS))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="mesh-exp ${VERSION}">
<title>${look.label}: ${result.name} · mesh-exp</title>
<style>${trustedHtml(REPORT_CSS)}</style>
</head>
<body>
${header(result)}
<main>
<section id="steps"><h2>Steps</h2>
${stepsTable(result.steps)}
</section>
${viewsTable(result.steps)}
<section id="checks"><h2>SLO checks</h2>
${checksTables(result.steps)}
</section>
<section id="events"><h2>Events</h2>
${eventsTable(result)}
</section>
<section id="experiment"><h2>Experiment as run</h2>
${experimentBlock(result.experiment)}
</section>
<section id="environment"><h2>Environment</h2>
${environmentTable(result.environment)}
</section>
</main>
<footer>Written by mesh-exp ${VERSION}. Self-contained: this file loads nothing from the network.</footer>
</body>
</html>
`;
  return page.html;
}

/** Creates the "html" reporter. */
export function createHtmlReporter(): Reporter {
  return {
    name: 'html',
    async write(result, dir) {
      const file = path.join(dir, HTML_REPORT_FILE);
      await writeFile(file, renderHtmlReport(result), 'utf8');
      return file;
    },
  };
}
