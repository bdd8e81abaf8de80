/**
 * The Markdown form of `--compare`: per SLO check and per step and version, "previous → this run
 * (change)", compact enough for a pull-request comment.
 */
import { versionLabel } from '../../analysis/subject.js';
import type { RunResult } from '../../model/result.js';
import { checkDelta, compareRuns, delta, type Delta } from '../compare.js';
import { checkValueCell, errorRateCell, formatTimestamp, latencyCell, outcomeLook, verdictLabel } from '../present.js';
import { escapeMarkdown as md } from './escape.js';

/** "81ms → 75ms (-6ms)", escaped, the change in bold when worse; a missing side reads "—". */
function change(before: string | undefined, now: string | undefined, d: Delta): string {
  const text = `${md(before ?? '—')} → ${md(now ?? '—')}`;
  return d.text ? `${text} (${d.direction === 'worse' ? `**${md(d.text)}**` : md(d.text)})` : text;
}

/** The comparison lines (heading, two tables), ending with a blank line. */
export function compareLines(result: RunResult, previous: RunResult): string[] {
  const cmp = compareRuns(result, previous);
  const lines = [
    `**Compared with the previous run** (${md(previous.name)}, ${formatTimestamp(previous.startedAt)}, ${outcomeLook(previous.outcome).label.toLowerCase()}); previous → this run, worse in bold`,
    '',
    '| Step | Check | Value | Verdict |',
    '|---:|---|---|---|',
  ];
  for (const p of cmp.checks) {
    const value = change(p.before && checkValueCell(p.before), p.now && checkValueCell(p.now), checkDelta(p));
    const verdict = `${p.before ? verdictLabel(p.before.verdict) : '—'} → ${p.now ? verdictLabel(p.now.verdict) : '—'}`;
    lines.push(`| ${p.step} | ${md(p.name)} | ${value} | ${verdict} |`);
  }
  lines.push('', '| Step | Version | p50 | p99 | Error rate |', '|---:|---|---|---|---|');
  for (const p of cmp.versions) {
    const lat = (k: 'p50' | 'p99') =>
      change(p.before && latencyCell(p.before.latency[k]), p.now && latencyCell(p.now.latency[k]), delta('latency', p.now?.latency[k], p.before?.latency[k], true));
    const err = change(p.before && errorRateCell(p.before), p.now && errorRateCell(p.now), delta('error-rate', p.now?.errorRate, p.before?.errorRate, true));
    lines.push(`| ${p.step} | ${md(versionLabel(p.version))} | ${lat('p50')} | ${lat('p99')} | ${err} |`);
  }
  lines.push('');
  return lines;
}
