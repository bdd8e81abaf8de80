/**
 * The steps table: one row per version per step (step facts span the step's rows), with the
 * request count, errors and latency percentiles each version saw, and a row for the copies a
 * mirror received (measured by the mesh: the client never sees them).
 */
import { mirroredLabel, versionLabel } from '../../analysis/subject.js';
import type { MirroredStats, StepResult, VersionStats } from '../../model/result.js';
import { decisionLabel, errorRateCell, formatSpan, latencyCell, weightLabel } from '../present.js';
import { endedEarlyLabel } from '../sequential-text.js';
import { html, type SafeHtml } from './escape.js';

function versionCells(s: VersionStats): SafeHtml {
  return html`<td>${versionLabel(s.version)}</td><td class="num">${s.count}</td><td class="num">${s.errors}</td><td class="num">${errorRateCell(s)}</td><td class="num">${latencyCell(s.latency.p50)}</td><td class="num">${latencyCell(s.latency.p95)}</td><td class="num">${latencyCell(s.latency.p99)}</td>`;
}

// The copies a mirror received: no client saw their answers, the mesh counted them.
function mirroredCells(m: MirroredStats): SafeHtml {
  return html`<td>${mirroredLabel(m.version)}</td><td class="num">${m.count}</td><td class="num">${m.errors}</td><td class="num">${errorRateCell(m)}</td><td class="num">${latencyCell(m.latency.p50)}</td><td class="num">${latencyCell(m.latency.p95)}</td><td class="num">${latencyCell(m.latency.p99)}</td>`;
}

/** ""ended early: certain regression" under the decision of a step a sequential test stopped. */
function earlyNote(step: StepResult): SafeHtml | string {
  const early = endedEarlyLabel(step);
  return early ? html`<br><span class="early">${early}</span>` : '';
}

function stepRows(step: StepResult): SafeHtml {
  const span = String(Math.max(1, step.stats.length) + (step.mirrored ? 1 : 0));
  const mirrored = step.mirrored ? html`<tr class="mirrored">${mirroredCells(step.mirrored)}</tr>` : html``;
  const head = html`<th scope="rowgroup" rowspan="${span}">${step.index + 1}</th><td rowspan="${span}">${step.label}</td><td class="num" rowspan="${span}">${weightLabel(step)}</td><td class="num" rowspan="${span}">${formatSpan(step.endedAt - step.startedAt)}</td><td rowspan="${span}" class="d-${step.decision}">${decisionLabel(step.decision)}${earlyNote(step)}</td>`;
  if (step.stats.length === 0) {
    return html`<tr>${head}<td colspan="7" class="muted">no requests recorded</td></tr>${mirrored}`;
  }
  return html`${step.stats.map((s, i) => html`<tr class="${s.version === 'all' ? 'all' : 'version'}">${i === 0 ? head : ''}${versionCells(s)}</tr>`)}${mirrored}`;
}

/** The steps table, wrapped so it scrolls sideways on narrow screens. */
export function stepsTable(steps: readonly StepResult[]): SafeHtml {
  if (steps.length === 0) return html`<p class="muted">No step ran.</p>`;
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Label</th><th scope="col">Weight</th><th scope="col">Duration</th><th scope="col">Decision</th><th scope="col">Version</th><th scope="col">Requests</th><th scope="col">Errors</th><th scope="col">Error rate</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">p99</th></tr></thead>
<tbody>
${steps.map((s) => html`${stepRows(s)}\n`)}</tbody>
</table></div>`;
}
