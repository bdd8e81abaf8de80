/**
 * The "Sequential analysis" section (analysis.mode: sequential): per step, a panel per SLO test
 * with its sentence ("certain regression after 14 s on …"), two charts drawn by the page script
 * (the confidence sequence as a band against the no-difference line and the margin; the e-value
 * on a log scale against 1/α, marked where it crossed), the key numbers as a table beside them,
 * and every look (thinned for long steps) folded in a <details>, so the figures are readable
 * without the charts, by a screen reader and in print. Absent when no step has a sequential test.
 */
import type { RunResult, SequentialTrace, StepResult } from '../../model/result.js';
import { crossingPoint, formatBound, formatCount, formatEValue, formatStepTime, sequentialSentence, sequentialTitle } from '../sequential-text.js';
import { chartBox, embedJson } from './charts-section.js';
import { stepHeading } from './checks-tables.js';
import { html, trustedHtml, type SafeHtml } from './escape.js';
import { buildSequentialCharts, E_CAP, E_FLOOR, plottedIndices, type SequentialChart } from './sequential-data.js';

/** Most looks listed in a test's "every look" table (evenly thinned beyond, keeping the crossing). */
export const MAX_LISTED = 120;

const TONE = { regression: 'd-rollback', 'non-inferior': 'd-promote', continue: 'muted' } as const;

/** "[-1.52 pts, +14.21 pts]", or "—" when the look has no confidence sequence. */
function band(trace: SequentialTrace, p: { lower?: number; upper?: number } | undefined): string {
  if (p?.lower === undefined && p?.upper === undefined) return '—';
  const at = (v: number | undefined) => (v === undefined ? '…' : formatBound(trace, v));
  return `[${at(p.lower)}, ${at(p.upper)}]`;
}

/** "160 / 1,633"; a one-version test of an absolute SLO (no stable samples) "160 canary". */
function counts(trace: SequentialTrace, s: { canary: number; stable: number }): string {
  return trace.bound !== undefined && s.stable === 0 ? `${formatCount(s.canary)} canary` : `${formatCount(s.canary)} / ${formatCount(s.stable)}`;
}

/** The key numbers, as row headers and values (a two-column table beside the charts). */
export function keyNumbers(trace: SequentialTrace): [string, string][] {
  const at = crossingPoint(trace);
  const last = trace.points[trace.points.length - 1];
  const samples = trace.crossedAtSamples ?? at?.samples;
  const reached = trace.decision !== 'continue';
  const rows: [string, string][] = [
    ['Decision', reached ? `certain ${trace.decision === 'regression' ? 'regression' : 'non-inferiority'}` : 'no certain conclusion'],
    ['Bound 1/α', `${formatEValue(trace.threshold)} (α = ${Number(trace.alpha.toPrecision(3))})`],
  ];
  if (reached && trace.crossedAt !== undefined) rows.push(['Crossed at', formatStepTime(trace.crossedAt)]);
  if (reached && samples) rows.push(['Samples then (canary / stable)', counts(trace, samples)]);
  if (reached && at) rows.push(['E-value then', formatEValue(at.eValue)]);
  if (reached && at?.nonInferiorityEValue !== undefined) rows.push(['Non-inferiority e-value then', formatEValue(at.nonInferiorityEValue)]);
  rows.push(['E-value at the last look', formatEValue(trace.eValue)]);
  if (last) rows.push(['Samples at the last look', `${counts(trace, last.samples)} at ${formatStepTime(last.t)}`]);
  if (last && (last.lower !== undefined || last.upper !== undefined)) rows.push([`Confidence sequence at the last look${trace.quantity ? ` (${trace.quantity})` : ''}`, band(trace, last)]);
  if (trace.margin !== undefined) rows.push(['Non-inferiority margin', formatBound(trace, trace.margin)]);
  if (trace.bound !== undefined) rows.push(['SLO bound', formatBound(trace, trace.bound)]);
  return rows;
}

/** Every look (at most {@link MAX_LISTED}, thinned evenly, keeping the crossing), folded. */
function looksTable(trace: SequentialTrace): SafeHtml {
  const at = crossingPoint(trace);
  const picked = plottedIndices(trace.points.length, at ? trace.points.indexOf(at) : undefined, MAX_LISTED);
  const hasNi = trace.points.some((p) => p.nonInferiorityEValue !== undefined);
  const hasBand = trace.points.some((p) => p.lower !== undefined || p.upper !== undefined);
  const thinned = `${formatCount(picked.length)} of the ${formatCount(trace.points.length)} looks, evenly spaced${at ? ', with the crossing' : ''}`;
  const said = picked.length === trace.points.length ? `Every look (${formatCount(trace.points.length)})` : thinned;
  const rows = picked.map((k) => {
    const p = trace.points[k]!;
    const cells = html`<td class="num">${formatStepTime(p.t)}</td><td class="num">${formatEValue(p.eValue)}</td>${hasNi ? html`<td class="num">${p.nonInferiorityEValue === undefined ? '—' : formatEValue(p.nonInferiorityEValue)}</td>` : ''}<td class="num">${formatCount(p.samples.canary)}</td><td class="num">${formatCount(p.samples.stable)}</td>${hasBand ? html`<td class="num">${band(trace, p)}</td>` : ''}`;
    return p === at && trace.decision !== 'continue' ? html`<tr class="crossing">${cells}</tr>\n` : html`<tr>${cells}</tr>\n`;
  });
  return html`<details><summary>${said}</summary>
<div class="scroll"><table>
<thead><tr><th scope="col">Time</th><th scope="col">E-value</th>${hasNi ? html`<th scope="col">Non-inferiority e-value</th>` : ''}<th scope="col">Canary</th><th scope="col">Stable</th>${hasBand ? html`<th scope="col">Confidence sequence</th>` : ''}</tr></thead>
<tbody>
${rows}</tbody>
</table></div>
</details>`;
}

function panel(trace: SequentialTrace, chart: SequentialChart): SafeHtml {
  const confidence = `${Number(((1 - trace.alpha) * 100).toPrecision(4))}%`;
  const quantity = trace.quantity ?? 'the compared quantity';
  const bound = formatEValue(trace.threshold);
  const csBox = chart.lower
    ? chartBox(`${chart.id}-cs`, `${confidence} confidence sequence of ${quantity} over the step, with ${trace.bound === undefined ? 'the no-difference line' : 'the SLO bound'}${chart.margin === null ? '' : ' and the margin'}`)
    : html`<p class="muted">No confidence sequence was kept for this test: its decision rests on the e-value.</p>`;
  const crossed = chart.crossing ? `, crossed at ${formatStepTime(chart.crossing.t)}` : '';
  return html`<div class="seq-test" id="${chart.id}">
<h4>${sequentialTitle(trace)}</h4>
<p class="seq-caption"><span class="${TONE[trace.decision]}">${sequentialSentence(trace)}</span></p>
<div class="seq-body"><div class="seq-charts">
<h5>Confidence sequence (${confidence})${trace.quantity ? `: ${trace.quantity}` : ''}</h5>
${csBox}
<h5>E-value (log scale) against the bound 1/α = ${bound}</h5>
${chartBox(`${chart.id}-e`, `E-value over the step on a log scale, against the bound 1/α = ${bound}${crossed}`)}
${chart.clamped ? html`<p class="muted">E-values outside ${formatEValue(E_FLOOR)} to ${formatEValue(E_CAP)} are drawn at the chart's edge; the tables give the real numbers.</p>\n` : ''}</div>
<div class="scroll seq-numbers"><table>
<tbody>
${keyNumbers(trace).map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>\n`)}</tbody>
</table></div></div>
${looksTable(trace)}
</div>`;
}

function stepPanels(step: StepResult, charts: Map<string, SequentialChart>): SafeHtml {
  return html`<h3 id="seq-step-${step.index + 1}">${stepHeading(step)}</h3>
${(step.sequential ?? []).map((trace, i) => html`${panel(trace, charts.get(`seq-${step.index + 1}-${i + 1}`)!)}\n`)}`;
}

/** The section and the data its charts are drawn from; empty markup when no step has a sequential test. */
export function sequentialSection(result: Pick<RunResult, 'steps'>): { html: SafeHtml; data: SequentialChart[] } {
  const data = buildSequentialCharts(result);
  if (data.length === 0) return { html: html``, data };
  const charts = new Map(data.map((c) => [c.id, c]));
  const markup = html`<section id="sequential"><h2>Sequential analysis</h2>
<p class="muted">Each SLO's anytime-valid test, looked at every second (time since the step's load started). A regression is certain once the e-value reaches the bound 1/α, and the false-alarm bound α holds however often the test looks. The confidence sequence covers the true value at every look at once. Dashed line: no difference (or, for a one-version test of an absolute SLO, its bound); red: the non-inferiority margin and the bound 1/α.</p>
${result.steps.filter((s) => s.sequential?.length).map((s) => html`${stepPanels(s, charts)}\n`)}<script type="application/json" id="sequential-data">${trustedHtml(embedJson(data))}</script>
</section>`;
  return { html: markup, data };
}
