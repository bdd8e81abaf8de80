/**
 * "Compared with the previous run" (`mesh-exp report --compare`): every SLO check and every
 * step's version figures of this run beside the previous run's, with the change coloured when it
 * is for the worse or the better.
 */
import { versionLabel } from '../../analysis/subject.js';
import type { RunResult } from '../../model/result.js';
import { checkDelta, compareRuns, delta, type Delta, type VersionPair } from '../compare.js';
import { checkValueCell, errorRateCell, formatTimestamp, latencyCell, outcomeLook, verdictLabel } from '../present.js';
import { html, type SafeHtml } from './escape.js';

function deltaCell(d: Delta): SafeHtml {
  return d.direction === 'same' ? html`<td class="num">${d.text}</td>` : html`<td class="num delta-${d.direction}">${d.text}</td>`;
}

const dash = '—';

function versionRow(p: VersionPair): SafeHtml {
  const lat = (s: VersionPair['now'], k: 'p50' | 'p99') => (s ? latencyCell(s.latency[k]) : dash);
  const err = (s: VersionPair['now']) => (s ? errorRateCell(s) : dash);
  return html`<tr><td class="num">${p.step}</td><td>${versionLabel(p.version)}</td><td class="num">${p.now?.count ?? dash}</td><td class="num">${p.before?.count ?? dash}</td><td class="num">${lat(p.now, 'p50')}</td><td class="num">${lat(p.before, 'p50')}</td>${deltaCell(delta('latency', p.now?.latency.p50, p.before?.latency.p50, true))}<td class="num">${lat(p.now, 'p99')}</td><td class="num">${lat(p.before, 'p99')}</td>${deltaCell(delta('latency', p.now?.latency.p99, p.before?.latency.p99, true))}<td class="num">${err(p.now)}</td><td class="num">${err(p.before)}</td>${deltaCell(delta('error-rate', p.now?.errorRate, p.before?.errorRate, true))}</tr>\n`;
}

/** The section comparing `result` with `previous`. */
export function compareSection(result: RunResult, previous: RunResult): SafeHtml {
  const cmp = compareRuns(result, previous);
  const look = outcomeLook(previous.outcome);
  const checkRows = cmp.checks.map((p) => {
    const value = (c: typeof p.now) => (c ? checkValueCell(c) : dash);
    const verdict = (c: typeof p.now) => (c ? html`<span class="v-${c.verdict}">${verdictLabel(c.verdict)}</span>` : dash);
    return html`<tr><td class="num">${p.step}</td><td>${p.name}</td><td class="num">${value(p.now)}</td><td class="num">${value(p.before)}</td>${deltaCell(checkDelta(p))}<td>${verdict(p.now)}</td><td>${verdict(p.before)}</td></tr>\n`;
  });
  return html`<section id="compare"><h2>Compared with the previous run</h2>
<p>Previous run: <strong>${previous.name}</strong>, started ${formatTimestamp(previous.startedAt)}, <span class="v-${look.tone === 'good' ? 'pass' : 'fail'}">${look.label}</span>. ${previous.summary}</p>
<h3>SLO checks</h3>
<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Check</th><th scope="col">This run</th><th scope="col">Previous</th><th scope="col">Change</th><th scope="col">Verdict</th><th scope="col">Previous verdict</th></tr></thead>
<tbody>
${checkRows}</tbody>
</table></div>
<h3>Versions per step</h3>
<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Version</th><th scope="col">Requests</th><th scope="col">Previous</th><th scope="col">p50</th><th scope="col">Previous</th><th scope="col">Change</th><th scope="col">p99</th><th scope="col">Previous</th><th scope="col">Change</th><th scope="col">Error rate</th><th scope="col">Previous</th><th scope="col">Change</th></tr></thead>
<tbody>
${cmp.versions.map(versionRow)}</tbody>
</table></div>
</section>`;
}
