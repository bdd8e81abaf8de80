/**
 * summary.md of a game day: the verdict and its sentence, and one row per experiment (status,
 * exit code, duration, summary, the path of its report) for CI job summaries and PR comments.
 */
import type { GameDayResult } from '../model/gameday-result.js';
import { escapeMarkdown as md } from '../report/markdown/escape.js';
import { formatSpan, formatTimestamp } from '../report/present.js';
import { VERSION } from '../version.js';

/** File name of the game day's Markdown summary. */
export const GAMEDAY_MARKDOWN_FILE = 'summary.md';

const ICON = { passed: '✅', failed: '❌', error: '❌', interrupted: '⚠️', skipped: '⏭️', 'not-run': '⏭️' } as const;

/** Renders the game day's summary.md. Pure. */
export function renderGameDayMarkdown(result: GameDayResult): string {
  const pass = result.verdict === 'pass';
  const lines = [`## ${pass ? '✅' : '❌'} Game day ${md(result.name)}: ${pass ? 'passed' : 'failed'}${result.partial ? ' (partial report)' : ''}`, ''];
  if (result.partial) lines.push('> **⚠️ PARTIAL REPORT:** the game day was killed; `mesh-exp recover` wrote this report from its journal.', '');
  lines.push(md(result.summary), '', `Started ${formatTimestamp(result.startedAt)}, took ${formatSpan(result.endedAt - result.startedAt)}; exit code ${result.exitCode}.`, '');
  lines.push('| # | Experiment | Status | Exit | Started | Duration | Summary | Report |', '|---:|---|---|---:|---|---:|---|---|');
  for (const e of result.experiments) {
    const took = e.startedAt !== undefined && e.endedAt !== undefined ? formatSpan(e.endedAt - e.startedAt) : '—';
    const started = e.startedAt !== undefined ? formatTimestamp(e.startedAt) : '—';
    lines.push(`| ${e.index + 1} | ${md(e.name)} | ${ICON[e.status] ?? ''} ${md(e.status)} | ${e.exitCode ?? '—'} | ${started} | ${took} | ${md(e.summary)} | ${e.report ? md(e.report) : '—'} |`);
  }
  lines.push('', `<sub>mesh-exp ${md(VERSION)}</sub>`, '');
  return lines.join('\n');
}
