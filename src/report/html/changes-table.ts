/**
 * "Faults and mirrors": each fault, mirror and A/B route the experiment applied, and when it was
 * applied and removed (relative to the run's start and in UTC).
 */
import type { RunResult } from '../../model/result.js';
import { formatSpan, formatTimestamp } from '../present.js';
import { html, type SafeHtml } from './escape.js';
import { trafficChanges } from './traffic-changes.js';

const KIND_LABEL = { fault: 'fault', mirror: 'mirror', match: 'A/B route' } as const;

/** The section, or nothing when the experiment only shifted weights. */
export function changesSection(result: RunResult): SafeHtml {
  const changes = trafficChanges(result);
  if (changes.length === 0) return html``;
  const when = (ms: number) => html`+${formatSpan(ms - result.startedAt)} <span class="muted">(${formatTimestamp(ms)})</span>`;
  const rows = changes.map(
    (c) => html`<tr><td>${KIND_LABEL[c.kind]}</td><td>${c.label}</td><td class="num">${when(c.appliedAt)}</td><td class="num">${c.removedAt === null ? html`<strong class="v-fail">not removed: the restore failed</strong>` : when(c.removedAt)}</td></tr>\n`,
  );
  return html`<section id="changes"><h2>Faults and mirrors</h2>
<p class="muted">Applied with the first step and kept through every step; removed with the restore, or with the promotion (which leaves only the canary at 100%).</p>
<div class="scroll"><table>
<thead><tr><th scope="col">Kind</th><th scope="col">What</th><th scope="col">Applied</th><th scope="col">Removed</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>
</section>`;
}
