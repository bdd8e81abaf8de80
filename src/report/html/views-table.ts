/**
 * Client view beside mesh view: per step and version, what the load generator measured next to
 * what Prometheus (Istio's metrics, Flagger's built-in queries) says about the same window. When
 * the two disagree, the difference is itself a finding (retries, a sidecar, requests that never
 * reached the version).
 */
import type { MeshView, StepResult } from '../../model/result.js';
import { errorRateCell, latencyCell } from '../present.js';
import { html, type SafeHtml } from './escape.js';

const meshErrorRate = (v: MeshView | undefined) => (v?.successRatePercent == null ? 'no data' : `${(100 - v.successRatePercent).toFixed(2)}%`);
const meshP99 = (v: MeshView | undefined) => (v?.p99Ms == null ? 'no data' : latencyCell(v.p99Ms));

function rows(step: StepResult): SafeHtml[] {
  return (step.meshView ?? []).map((view) => {
    const client = step.stats.find((s) => s.version === view.version);
    return html`<tr><td>${step.index + 1}</td><td>${view.version}</td><td class="num">${client?.count ?? 0}</td><td class="num">${client ? errorRateCell(client) : 'no data'}</td><td class="num">${meshErrorRate(view)}</td><td class="num">${latencyCell(client?.latency.p99 ?? null)}</td><td class="num">${meshP99(view)}</td></tr>`;
  });
}

/** The table, or nothing when no step has a mesh view (no spec.metrics.prometheus). */
export function viewsTable(steps: readonly StepResult[]): SafeHtml {
  if (!steps.some((s) => s.meshView?.length)) return html``;
  return html`<section id="views"><h2>Client view and mesh view</h2>
<p class="muted">Client: what the load generator saw. Mesh: Prometheus's Istio metrics for the same window (Flagger's request-success-rate and request-duration queries; p99 interpolated within Istio's histogram buckets).</p>
<div class="scroll"><table>
<thead><tr><th scope="col">Step</th><th scope="col">Version</th><th scope="col">Client requests</th><th scope="col">Client error rate</th><th scope="col">Mesh error rate</th><th scope="col">Client p99</th><th scope="col">Mesh p99</th></tr></thead>
<tbody>
${steps.map((s) => html`${rows(s)}\n`)}</tbody>
</table></div>
</section>`;
}
