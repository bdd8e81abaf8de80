/**
 * summary.md: a short Markdown summary for CI job summaries ($GITHUB_STEP_SUMMARY) and PR
 * comments: the verdict and its sentence, one row per step, the checks that did not pass (value,
 * threshold, samples, interval, why), one line per sequential test (analysis.mode: sequential) and,
 * with `--compare`, the previous run's figures.
 */
import type { RunResult } from '../model/result.js';
import { VERSION } from '../version.js';
import { escapeMarkdown as md } from './markdown/escape.js';
import { compareLines } from './markdown/compare.js';
import { mirroredTrafficLines, otherTrafficLines } from './markdown/other-traffic.js';
import { requestLines } from './markdown/request-table.js';
import { sequentialLines } from './markdown/sequential-lines.js';
import { endedEarlyLabel } from './sequential-text.js';
import { checkCounts, checkValueCell, decisionLabel, formatSpan, intervalCell, outcomeLook, thresholdCell, weightLabel } from './present.js';
import { createFileReporter } from './file-reporter.js';
import type { Reporter, ReportOptions } from './types.js';

/** File name the Markdown reporter writes. */
export const MARKDOWN_REPORT_FILE = 'summary.md';

const ICONS = { good: '✅', bad: '❌', warn: '⚠️' } as const;

/** Renders summary.md. Pure. */
export function renderMarkdownReport(result: RunResult, options: ReportOptions = {}): string {
  const look = outcomeLook(result.outcome);
  const lines: string[] = [`## ${ICONS[look.tone]} ${md(result.name)}: ${look.label.toLowerCase()}${result.partial ? ' (partial report)' : ''}`, ''];
  if (result.partial) lines.push(`> **${ICONS.warn} PARTIAL REPORT:** ${md(result.partialReason ?? 'the run did not finish')}. Only the steps that finished are shown.`, '');
  lines.push(md(result.summary), '');

  if (result.steps.length > 0) {
    lines.push('| Step | Label | Weight | Duration | Checks | Decision |', '|---:|---|---:|---:|---|---|');
    for (const s of result.steps) {
      const early = endedEarlyLabel(s);
      const decision = `${s.decision === 'rollback' ? `**${decisionLabel(s.decision)}**` : decisionLabel(s.decision)}${early ? ` (${early})` : ''}`;
      lines.push(`| ${s.index + 1} | ${md(s.label)} | ${md(weightLabel(s))} | ${formatSpan(s.endedAt - s.startedAt)} | ${md(checkCounts(s.checks))} | ${decision} |`);
    }
    lines.push('');
  }

  lines.push(...sequentialLines(result));

  const misses = result.steps.flatMap((s) => s.checks.filter((c) => c.verdict !== 'pass').map((c) => ({ step: s, check: c })));
  if (misses.length > 0) {
    lines.push('**Checks that did not pass**', '', '| Step | Check | Value | Threshold | Samples | Interval | Verdict | Why |', '|---:|---|---:|---:|---:|---|---|---|');
    for (const { step, check: c } of misses) {
      const verdict = c.verdict === 'fail' ? '**FAIL**' : 'no data';
      lines.push(`| ${step.index + 1} | ${md(c.name)} | ${md(checkValueCell(c))} | ${md(thresholdCell(c))} | ${c.samples} | ${md(intervalCell(c) || '—')} | ${verdict} | ${md(c.message)} |`);
    }
    lines.push('');
  }

  lines.push(...requestLines(result), ...otherTrafficLines(result), ...mirroredTrafficLines(result));

  if (options.previous) lines.push(...compareLines(result, options.previous));

  if (result.error) lines.push(`**Error:** ${md(result.error)}`, '');
  const restored = result.restored ? 'mesh restored' : '**mesh NOT restored: see the journal in the run directory**';
  lines.push(`<sub>mesh-exp ${VERSION} · ${formatSpan(result.endedAt - result.startedAt)} · exit code ${result.exitCode} · ${restored} · full details in report.html</sub>`, '');
  return lines.join('\n');
}

/** Creates the "markdown" reporter. */
export function createMarkdownReporter(): Reporter {
  return createFileReporter('markdown', MARKDOWN_REPORT_FILE, renderMarkdownReport);
}
