/**
 * "No data — but why?" Flagger's most common support question. When a query returns nothing, take
 * its first selector apart and add its label matchers one at a time: the first matcher after which
 * no series is left is the one to fix, and the values that label does have say what to write.
 */
import type { MetricSource } from '../types.js';
import { findSelectors, formatMatcher, formatSelector } from './selectors.js';

const MAX_VALUES = 8;

/** One line naming the matcher that matched nothing, or undefined when every selector matches. */
export async function explainEmptyResult(source: MetricSource, query: string, timeMs: number, signal?: AbortSignal): Promise<string | undefined> {
  const selectors = findSelectors(query);
  if (selectors.length === 0) return undefined;
  for (const sel of selectors) {
    const count = async (q: string) => (await source.query(`count(${q})`, timeMs, signal)).series.length > 0;
    if (!(await count(sel.metric))) {
      return `no series named ${sel.metric} at all in Prometheus: is it scraping the mesh? (see its /targets page)`;
    }
    for (let i = 0; i < sel.matchers.length; i++) {
      const before = sel.matchers.slice(0, i);
      const m = sel.matchers[i]!;
      if (await count(formatSelector(sel.metric, [...before, m]))) continue;
      const seen = await source.query(`count by (${m.label}) (${before.length ? formatSelector(sel.metric, before) : sel.metric})`, timeMs, signal);
      const values = seen.series.map((s) => s.labels[m.label] ?? '').filter((v) => v !== '');
      const context = before.length ? ` among ${formatSelector(sel.metric, before)}` : ` on ${sel.metric}`;
      const shown = values.length
        ? `; ${m.label} has: ${values.slice(0, MAX_VALUES).join(', ')}${values.length > MAX_VALUES ? `, … ${values.length - MAX_VALUES} more` : ''}`
        : `; no series there has a ${m.label} label`;
      return `label matcher ${formatMatcher(m)} matched nothing${context}${shown}`;
    }
  }
  return 'every label matcher matches series, so the window holds too few scrapes: make the step interval at least twice the scrape interval';
}
