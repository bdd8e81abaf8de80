/**
 * The report's reference sections: the events timeline, the experiment as run, and the
 * environment the run happened in.
 */
import { stringify } from 'yaml';
import type { RunResult } from '../../runner/result.js';
import { formatSpan, formatTimestamp } from '../present.js';
import { html, type SafeHtml } from './escape.js';

/** The timeline: absolute time (UTC), time since the start, and what happened. */
export function eventsTable(result: Pick<RunResult, 'events' | 'startedAt'>): SafeHtml {
  if (result.events.length === 0) return html`<p class="muted">No events recorded.</p>`;
  const rows = [...result.events]
    .sort((a, b) => a.time - b.time)
    .map((e) => html`<tr><td class="num">${formatTimestamp(e.time)}</td><td class="num">+${formatSpan(e.time - result.startedAt)}</td><td class="msg">${e.message}</td></tr>\n`);
  return html`<div class="scroll"><table>
<thead><tr><th scope="col">Time</th><th scope="col">Since start</th><th scope="col">Event</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** The experiment as YAML (JSON when it cannot be written as YAML), escaped inside <pre>. */
export function experimentBlock(experiment: unknown): SafeHtml {
  if (experiment === undefined || experiment === null) return html`<p class="muted">Not recorded.</p>`;
  let text: string;
  try {
    text = stringify(experiment, { lineWidth: 0 });
  } catch {
    // The YAML writer refuses some values (e.g. functions); JSON drops them instead.
    text = JSON.stringify(experiment, null, 2);
  }
  return html`<pre><code>${text}</code></pre>`;
}

/** The environment as a two-column table. */
export function environmentTable(environment: Readonly<Record<string, string>>): SafeHtml {
  const entries = Object.entries(environment);
  if (entries.length === 0) return html`<p class="muted">Not recorded.</p>`;
  return html`<div class="scroll"><table>
<tbody>
${entries.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>\n`)}</tbody>
</table></div>`;
}
