/**
 * summary.md: a short Markdown summary for CI job summaries ($GITHUB_STEP_SUMMARY) and PR
 * comments: the verdict and its sentence, one row per step, and the failed checks.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../runner/result.js';
import { VERSION } from '../version.js';
import { escapeMarkdown as md } from './markdown/escape.js';
import { checkCounts, decisionLabel, formatSpan, outcomeLook, weightLabel } from './present.js';
import type { Reporter } from './types.js';

/** File name the Markdown reporter writes. */
export const MARKDOWN_REPORT_FILE = 'summary.md';

const ICONS = { good: '✅', bad: '❌', warn: '⚠️' } as const;

/** Renders summary.md. Pure. */
export function renderMarkdownReport(result: RunResult): string {
  const look = outcomeLook(result.outcome);
  const lines: string[] = [`## ${ICONS[look.tone]} ${md(result.name)}: ${look.label.toLowerCase()}`, '', md(result.summary), ''];

  if (result.steps.length > 0) {
    lines.push('| Step | Label | Weight | Duration | Checks | Decision |', '|---:|---|---:|---:|---|---|');
    for (const s of result.steps) {
      const decision = s.decision === 'rollback' ? `**${decisionLabel(s.decision)}**` : decisionLabel(s.decision);
      lines.push(`| ${s.index + 1} | ${md(s.label)} | ${md(weightLabel(s))} | ${formatSpan(s.endedAt - s.startedAt)} | ${md(checkCounts(s.checks))} | ${decision} |`);
    }
    lines.push('');
  }

  const misses = result.steps.flatMap((s) => s.checks.filter((c) => c.verdict !== 'pass').map((c) => ({ step: s, check: c })));
  if (misses.length > 0) {
    lines.push('**Checks that did not pass**', '');
    for (const { step, check } of misses) {
      const verdict = check.verdict === 'fail' ? 'FAIL' : 'no data';
      lines.push(`- step ${step.index + 1}, ${md(check.name)} (${verdict}): ${md(check.message)}`);
    }
    lines.push('');
  }

  if (result.error) lines.push(`**Error:** ${md(result.error)}`, '');
  const restored = result.restored ? 'mesh restored' : '**mesh NOT restored: see the journal in the run directory**';
  lines.push(`<sub>mesh-exp ${VERSION} · ${formatSpan(result.endedAt - result.startedAt)} · exit code ${result.exitCode} · ${restored} · full details in report.html</sub>`, '');
  return lines.join('\n');
}

/** Creates the "markdown" reporter. */
export function createMarkdownReporter(): Reporter {
  return {
    name: 'markdown',
    async write(result, dir) {
      const file = path.join(dir, MARKDOWN_REPORT_FILE);
      await writeFile(file, renderMarkdownReport(result), 'utf8');
      return file;
    },
  };
}
