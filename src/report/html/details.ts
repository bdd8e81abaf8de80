/**
 * The report's reference sections: the events timeline, the experiment as run, and the
 * environment the run happened in.
 */
import { stringify } from 'yaml';
import type { RunResult } from '../../model/result.js';
import { DEFAULT_PROVIDER } from '../../experiment/provider-names.js';
import type { Experiment } from '../../experiment/schema.js';
import { formatSpan, formatTimestamp } from '../present.js';
import { html, type SafeHtml } from './escape.js';
import { describeRate, loadRateOf } from '../../load/rate-profile.js';
import { describeTarget } from '../../traffic/target-object.js';

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

/** The parsed experiment as YAML (JSON when it cannot be written as YAML). */
function parsedText(experiment: unknown): string {
  try {
    return stringify(experiment, { lineWidth: 0 });
  } catch {
    // The YAML writer refuses some values (e.g. functions); JSON drops them instead.
    return JSON.stringify(experiment, null, 2);
  }
}

/**
 * The experiment as run, escaped inside <pre>: the file as the user wrote it (its units, its
 * comments), with the parsed form (defaults filled in) folded beneath; runs recorded without the
 * file's text show the parsed form alone.
 * @param source the file's text. @default absent (old result.json files)
 */
export function experimentBlock(experiment: unknown, source?: string): SafeHtml {
  const missing = experiment === undefined || experiment === null;
  if (source === undefined) {
    if (missing) return html`<p class="muted">Not recorded.</p>`;
    return html`<p class="muted">As parsed: durations in milliseconds, percentages as fractions, defaults filled in.</p>
<pre><code>${parsedText(experiment)}</code></pre>`;
  }
  const parsed = missing ? '' : html`<details><summary>As parsed, with defaults filled in (durations in milliseconds, percentages as fractions)</summary>
<pre><code>${parsedText(experiment)}</code></pre>
</details>`;
  return html`<pre><code>${source}</code></pre>
${parsed}`;
}

/** What the experiment acted on and drove, from the experiment as run: target and load rows. */
export function targetFacts(experiment: unknown): [string, string][] {
  const spec = (experiment as Partial<Experiment> | null | undefined)?.spec;
  const t = spec?.target;
  const load = spec?.load;
  const facts: [string, string][] = [];
  if (t) facts.push(['target', `${t.provider ?? DEFAULT_PROVIDER}: ${describeTarget(t)}, host ${t.host}, ${t.stable} (stable) → ${t.canary} (canary)`]);
  // With load.stages the constant rate (its default) was not used: the ramp is what ran.
  const rate = load?.stages ? describeRate(loadRateOf(load)) : `${load?.rate} req/s`;
  if (load) facts.push(['load', `${load.generator ?? 'builtin'}, ${rate}, ${load.method ?? 'GET'} ${load.path ?? '/'}`]);
  return facts;
}

/**
 * The environment as a two-column table: tool versions and generator, then the target and load.
 * @param experiment the experiment as run, for the target and load rows. @default none (no such rows)
 */
export function environmentTable(environment: Readonly<Record<string, string>>, experiment?: unknown): SafeHtml {
  const entries = [...Object.entries(environment), ...targetFacts(experiment)];
  if (entries.length === 0) return html`<p class="muted">Not recorded.</p>`;
  return html`<div class="scroll"><table>
<tbody>
${entries.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>\n`)}</tbody>
</table></div>`;
}
