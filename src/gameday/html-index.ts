/**
 * index.html of a game day: the day's verdict, one row per experiment (its status, linked to its
 * own report.html), and a timeline of the day drawn as inline SVG (when each experiment ran and
 * how it ended). Self-contained like report.html: one inline stylesheet allowed by its hash in a
 * strict Content-Security-Policy, no script at all, every user string escaped.
 */
import type { GameDayExperimentResult, GameDayResult, GameDayStatus } from '../model/gameday-result.js';
import { html, type SafeHtml } from '../report/html/escape.js';
import { pageHead } from '../report/html/page-head.js';
import { REPORT_CSS } from '../report/html/styles.js';
import { formatSpan, formatTimestamp } from '../report/present.js';
import { VERSION } from '../version.js';

/** File name of the game day's page. */
export const GAMEDAY_HTML_FILE = 'index.html';

const GAMEDAY_CSS = `
.s-passed { color: var(--good); font-weight: 600; } .s-failed, .s-error { color: var(--bad); font-weight: 700; }
.s-interrupted, .s-skipped, .s-not-run { color: var(--warn); font-weight: 600; }
svg.timeline { width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg.timeline text { fill: var(--fg); } svg.timeline .axis { fill: var(--muted); } svg.timeline line { stroke: var(--line); }
svg.timeline rect.b-passed { fill: var(--good); } svg.timeline rect.b-failed, svg.timeline rect.b-error { fill: var(--bad); }
svg.timeline rect.b-interrupted { fill: var(--warn); }
`;

const LABELS: Record<GameDayStatus, string> = { passed: 'PASSED', failed: 'FAILED', error: 'ERROR', interrupted: 'INTERRUPTED', skipped: 'SKIPPED', 'not-run': 'NOT RUN' };

/** A link target inside the game day's directory, or undefined when it is not one (a hand-edited result.json). */
function localHref(rel: string | undefined): string | undefined {
  if (rel === undefined || !/^[\w.-]+(\/[\w.-]+)*$/.test(rel) || rel.split('/').includes('..')) return undefined;
  return rel.split('/').map(encodeURIComponent).join('/');
}

function span(e: GameDayExperimentResult): string {
  return e.startedAt !== undefined && e.endedAt !== undefined ? formatSpan(e.endedAt - e.startedAt) : '—';
}

function experimentRow(e: GameDayExperimentResult): SafeHtml {
  const href = localHref(e.report);
  const report = href ? html`<a href="${href}">report${e.partial ? ' (partial)' : ''}</a>` : html`<span class="muted">none</span>`;
  return html`<tr>
<td class="num">${e.index + 1}</td>
<td>${e.name}<br><span class="muted">${e.source}${e.continueOnFailure ? ' · continueOnFailure' : ''}</span></td>
<td class="s-${e.status}">${LABELS[e.status] ?? e.status}</td>
<td class="num">${e.exitCode ?? '—'}</td>
<td>${e.startedAt !== undefined ? formatTimestamp(e.startedAt) : '—'}</td>
<td class="num">${span(e)}</td>
<td class="msg">${e.summary}</td>
<td>${report}</td>
</tr>`;
}

/** The day as bars on one time axis: one row per experiment that ran; skipped ones are listed without a bar. */
function timeline(result: GameDayResult): SafeHtml {
  const width = 800;
  const left = 180;
  const row = 26;
  const from = result.startedAt;
  const total = Math.max(1, result.endedAt - from);
  const x = (t: number) => left + ((Math.min(Math.max(t, from), result.endedAt) - from) / total) * (width - left - 10);
  const height = row * result.experiments.length + 30;
  const rows = result.experiments.map((e, i) => {
    const y = 10 + i * row;
    const label = html`<text x="4" y="${y + 15}">${e.index + 1}. ${e.name.length > 24 ? `${e.name.slice(0, 23)}…` : e.name}</text>`;
    if (e.startedAt === undefined || e.endedAt === undefined) return html`${label}<text class="axis" x="${left}" y="${y + 15}">${LABELS[e.status] ?? e.status}</text>\n`;
    const x0 = x(e.startedAt);
    const w = Math.max(2, x(e.endedAt) - x0);
    return html`${label}<rect class="b-${e.status}" x="${x0.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}"><title>${e.name}: ${LABELS[e.status] ?? e.status}, ${formatTimestamp(e.startedAt)}, ${span(e)}</title></rect>\n`;
  });
  const axisY = height - 8;
  return html`<svg class="timeline" viewBox="0 0 ${width} ${height}" role="img" aria-label="Timeline of the game day">
${rows}<line x1="${left}" y1="${axisY - 12}" x2="${width - 10}" y2="${axisY - 12}"></line>
<text class="axis" x="${left}" y="${axisY}">${formatTimestamp(from)}</text>
<text class="axis" x="${width - 10}" y="${axisY}" text-anchor="end">+${formatSpan(total)}</text>
</svg>`;
}

/** Renders the game day's index.html. Pure: the same result gives the same bytes. */
export function renderGameDayHtml(result: GameDayResult): string {
  const css = `${REPORT_CSS}\n${GAMEDAY_CSS}`;
  const tone = result.verdict === 'pass' && result.exitCode === 0 ? 'good' : result.exitCode >= 128 ? 'warn' : 'bad';
  const page = html`${pageHead(`${result.partial ? 'PARTIAL ' : ''}${result.verdict === 'pass' ? 'PASS' : 'FAIL'}: game day ${result.name} · mesh-exp`, css, [])}
<body>
${result.partial ? html`<p class="partial" role="alert">PARTIAL REPORT: the game day was killed; \`mesh-exp recover\` wrote this report from its journal. Experiments it never started are marked "not run".</p>\n` : ''}<header class="verdict ${tone}">
<p class="outcome">GAME DAY ${result.verdict === 'pass' ? 'PASSED' : 'FAILED'}</p>
<h1>${result.name}</h1>
${result.description ? html`<p class="description">${result.description}</p>` : ''}
<p class="summary">${result.summary}</p>
<dl class="facts">
<div><dt>Started</dt><dd>${formatTimestamp(result.startedAt)}</dd></div>
<div><dt>Duration</dt><dd>${formatSpan(result.endedAt - result.startedAt)}</dd></div>
<div><dt>Experiments</dt><dd>${result.experiments.length}</dd></div>
<div><dt>Failures allowed</dt><dd>${result.maxFailures}</dd></div>
<div><dt>Exit code</dt><dd>${result.exitCode}</dd></div>
</dl>
</header>
<main>
<section id="experiments"><h2>Experiments</h2>
<div class="scroll"><table>
<thead><tr><th>#</th><th>Experiment</th><th>Status</th><th>Exit</th><th>Started</th><th>Duration</th><th>Summary</th><th>Report</th></tr></thead>
<tbody>
${result.experiments.map(experimentRow)}
</tbody></table></div>
</section>
<section id="timeline"><h2>Timeline</h2>
${timeline(result)}
</section>
</main>
<footer>Written by mesh-exp ${VERSION}. Self-contained: this file loads nothing from the network; each experiment's report.html is in its run directory beside it.</footer>
</body>
</html>
`;
  return page.html;
}
