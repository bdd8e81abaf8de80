/**
 * trend.html: each experiment's runs over time from the run history (reports/index.jsonl) — the
 * canary's and stable's p50 and p99 and error rate over each run's last step, the duration, a
 * marker per run for its outcome and for a regression — then a table of the runs. Self-contained
 * like report.html: stylesheet, uPlot and the page script inlined and allowed by their hashes in a
 * strict CSP with Trusted Types; every user string escaped.
 */
import { formatMs, formatP, formatPercent, formatPoints, formatSignedPercent } from '../../analysis/format.js';
import type { HistoryEntry } from '../../history/entry-schema.js';
import type { RegressionCheck } from '../../history/regression.js';
import { describeRegressionTest } from '../../history/regression.js';
import { VERSION } from '../../version.js';
import { chartLibrary } from '../html/chart-library.js';
import { embedJson } from '../html/charts-section.js';
import { html, trustedHtml, type SafeHtml } from '../html/escape.js';
import { REPORT_CSS } from '../html/styles.js';
import { pageHead } from '../html/page-head.js';
import { formatSpan, formatTimestamp, outcomeLook } from '../present.js';
import { buildTrendData, type TrendSeries } from './trend-data.js';
import { TREND_SCRIPT } from './trend-script.js';

/** The trend page's file name. */
export const TREND_REPORT_FILE = 'trend.html';

/** What the page says it shows. */
export interface TrendPageOptions {
  /** The index read, as the user named it. */
  source: string;
  /** The filters applied, in words (e.g. "experiment reviews-canary, last 30d"). @default "all runs" */
  filters?: string;
}

const TREND_CSS = `
.markers { display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .85rem; color: var(--muted); margin: .3rem 0; }
.dot { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; vertical-align: -.05rem; margin-right: .25rem; }
.dot.good { background: var(--good); } .dot.bad { background: var(--bad); } .dot.warn { background: var(--warn); }
.dot.ring { background: none; border: 2px solid var(--bad); }
.regressed { color: var(--bad); font-weight: 700; }
`;

const NO_SCRIPT = 'The charts need JavaScript; the table below holds the same figures per run.';
const box = (id: string, label: string) => html`<div class="chart" id="${id}" role="img" aria-label="${label}">${NO_SCRIPT}</div>`;
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatMs(v));
const rate = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatPercent(v));

/** The regression cell of a run. */
function regressionText(check: RegressionCheck | undefined): SafeHtml | string {
  if (!check) return 'first run';
  const parts: string[] = [];
  if (check.latency.verdict === 'regression') parts.push(`latency ${formatSignedPercent(check.latency.change!)} (${formatP(check.latency.p!)})`);
  if (check.errorRate.verdict === 'regression') parts.push(`error rate ${formatPoints(check.errorRate.change!)}`);
  if (parts.length) return html`<span class="regressed">REGRESSION: ${parts.join(', ')}</span>`;
  const latency = check.latency.verdict === 'no-data' ? `latency no data (${check.latency.note ?? ''})` : `latency ${formatSignedPercent(check.latency.change!)}`;
  const errors = check.errorRate.verdict === 'no-data' ? `errors no data` : `errors ${formatPoints(check.errorRate.change!)}`;
  return `ok: ${latency}, ${errors}`;
}

function runsTable(runs: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>): SafeHtml {
  const rows = runs.map((e, i) => {
    const look = outcomeLook(e.outcome);
    const c = e.lastStep?.canary;
    const st = e.overall.stable;
    return html`<tr><td class="num">#${i + 1}</td><td class="num">${formatTimestamp(e.startedAt)}</td><td>${e.gameDay?.name ?? ''}</td><td class="${look.tone === 'bad' ? 'v-fail' : look.tone === 'good' ? 'v-pass' : 'v-no-data'}">${look.label}${e.aa ? ' (A/A)' : ''}${e.partial ? ' (partial)' : ''}</td><td class="num">${e.checks.filter((x) => x.verdict === 'pass').length}/${e.checks.length}</td><td>${c?.version ?? '—'}</td><td class="num">${ms(c?.p50)}</td><td class="num">${ms(c?.p99)}</td><td class="num">${rate(c?.errorRate)}</td><td>${st.version}</td><td class="num">${ms(st.p99)}</td><td class="num">${rate(st.errorRate)}</td><td class="num">${formatSpan(e.durationMs)}</td><td class="msg">${regressionText(regressions.get(e))}</td><td>${e.runDir}</td></tr>`;
  });
  return html`<div class="scroll"><table>
<thead><tr><th>Run</th><th>Started</th><th>Game day</th><th>Outcome</th><th>Checks passed</th><th>Canary</th><th>p50</th><th>p99</th><th>Error rate</th><th>Stable</th><th>p99 (run)</th><th>Error rate (run)</th><th>Duration</th><th>Regression vs the run before</th><th>Run directory</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}

function experimentSection(series: TrendSeries, runs: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>): SafeHtml {
  const flagged = runs.filter((e) => regressions.get(e)?.regressed).length;
  return html`<section class="experiment" id="${series.id}"><h2>${series.name}</h2>
<p class="muted">${runs.length} run(s), ${formatTimestamp(runs[0]!.startedAt)} to ${formatTimestamp(runs.at(-1)!.startedAt)}; ${flagged} flagged as a regression.</p>
<h3>Latency p50 and p99: the canary over each run's last step, the stable over the whole run</h3>
${box(`${series.id}-latency`, `Latency per run of ${series.name}`)}
<h3>Error rate: the canary over each run's last step, the stable over the whole run</h3>
${box(`${series.id}-errors`, `Error rate per run of ${series.name}`)}
<h3>Duration</h3>
${box(`${series.id}-duration`, `Duration per run of ${series.name}`)}
${runsTable(runs, regressions)}
</section>`;
}

/** Renders the page. Pure: the same entries give the same bytes. */
export function renderTrendPage(entries: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>, options: TrendPageOptions): string {
  const lib = chartLibrary();
  const css = `${REPORT_CSS}\n${TREND_CSS}\n${lib.css}\n`;
  const scripts = [lib.js, TREND_SCRIPT];
  const data = buildTrendData(entries, regressions);
  const sections = data.experiments.map((s) => experimentSection(s, entries.filter((e) => e.experiment === s.name), regressions));
  const title = `Trends: ${data.experiments.map((e) => e.name).join(', ') || 'no runs'} · mesh-exp`;
  const page = html`${pageHead(title, css, scripts)}
<body>
<header><h1>Trends across runs</h1>
<p class="summary">${entries.length} run(s) of ${data.experiments.length} experiment(s) from ${options.source} (${options.filters ?? 'all runs'}).</p>
<p class="markers"><span><span class="dot good"></span>promoted or passed</span><span><span class="dot bad"></span>rolled back or error</span><span><span class="dot warn"></span>interrupted</span><span><span class="dot ring"></span>regression</span></p>
<p class="muted" id="regression-test">How a regression is judged: ${describeRegressionTest()}. α bounds the flags between runs whose requests come from one and the same distribution; a busier machine or network between two runs is a real difference to these tests. They test a shift of the whole latency distribution: a change in the tail alone (p99 only) can go unflagged. Runs recovered after a crash keep no distribution, so their latency is not tested.</p>
</header>
<main>
${sections.length ? sections : html`<p>No runs to show.</p>`}
<script type="application/json" id="trend-data">${trustedHtml(embedJson(data))}</script>
</main>
<footer>Written by mesh-exp ${VERSION}. Self-contained: this file loads nothing from the network. Charts drawn with uPlot ${lib.version} (MIT license, inlined).</footer>
${scripts.map((js) => html`<script>${trustedHtml(js)}</script>\n`)}</body>
</html>
`;
  return page.html;
}
