/**
 * The report's figures per named request (`load.requests`): per step, request and version, the
 * requests, error rate and latency. Shown only when the load has more than one request, so a
 * single-request report is unchanged.
 */
import { versionLabel } from '../../analysis/subject.js';
import type { StepResult } from '../../model/result.js';
import { errorRateCell, latencyCell } from '../present.js';
import { html, type SafeHtml } from './escape.js';

function rows(step: StepResult): SafeHtml[] {
  return (step.requests ?? []).flatMap((r) =>
    r.stats.map(
      (s) =>
        html`<tr><td>${step.index + 1}</td><td>${r.name}</td><td>${s.version === 'all' ? 'all' : versionLabel(s.version)}</td><td class="num">${s.count}</td><td class="num">${errorRateCell(s)}</td><td class="num">${latencyCell(s.latency.p50)}</td><td class="num">${latencyCell(s.latency.p99)}</td></tr>`,
    ),
  );
}

/** The section, or nothing when no step reported more than one request name. */
export function requestsTable(steps: readonly StepResult[]): SafeHtml {
  if (!steps.some((s) => (s.requests?.length ?? 0) > 1)) return html``;
  return html`<section id="requests"><h2>Per request</h2>
<p class="muted">Each named request of load.requests, per version: what the load generator measured for it.</p>
<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Request</th><th scope="col">Version</th><th scope="col">Requests</th><th scope="col">Error rate</th><th scope="col">p50</th><th scope="col">p99</th></tr></thead>
<tbody>
${steps.map((s) => html`${rows(s)}\n`)}</tbody>
</table></div>
</section>`;
}
