/**
 * The SLO checks of every step: one table per step with value, threshold, samples, confidence
 * interval, verdict and the check's own one-line message, so the report explains each decision.
 */
import type { CheckResult, StepResult } from '../../model/result.js';
import { checkCounts, checkValueCell, decisionLabel, intervalCell, thresholdCell, verdictLabel } from '../present.js';
import { endedEarlyLabel } from '../sequential-text.js';
import { html, type SafeHtml } from './escape.js';

function checkRow(c: CheckResult): SafeHtml {
  return html`<tr><td>${c.name}</td><td>${c.subject}</td><td class="num">${checkValueCell(c)}</td><td class="num">${thresholdCell(c)}</td><td class="num">${c.samples}</td><td class="num">${intervalCell(c) || '—'}</td><td class="v-${c.verdict}">${verdictLabel(c.verdict)}</td><td class="msg">${c.message}</td></tr>`;
}

/** A step's heading text: "Step 2 · canary 10% · rollback · ended early: certain regression". */
export function stepHeading(step: StepResult): SafeHtml {
  const early = endedEarlyLabel(step);
  return html`Step ${step.index + 1} · ${step.label} · <span class="d-${step.decision}">${decisionLabel(step.decision)}</span>${early ? html` · <span class="early">${early}</span>` : ''}`;
}

function stepChecks(step: StepResult): SafeHtml {
  const title = html`<h3 id="step-${step.index + 1}">${stepHeading(step)} <span class="muted">(${checkCounts(step.checks)}; ${step.failedChecksTotal} failed so far)</span></h3>`;
  if (step.checks.length === 0) return html`${title}\n<p class="muted">No SLO was checked in this step.</p>`;
  return html`${title}
<div class="scroll"><table>
<thead><tr><th scope="col">Check</th><th scope="col">Subject</th><th scope="col">Value</th><th scope="col">Threshold</th><th scope="col">Samples</th><th scope="col">Interval</th><th scope="col">Verdict</th><th scope="col">Message</th></tr></thead>
<tbody>
${step.checks.map((c) => html`${checkRow(c)}\n`)}</tbody>
</table></div>`;
}

/** The checks section body: one titled table per step. */
export function checksTables(steps: readonly StepResult[]): SafeHtml {
  if (steps.length === 0) return html`<p class="muted">No step ran, so no SLO was checked.</p>`;
  return html`${steps.map((s) => html`${stepChecks(s)}\n`)}`;
}
