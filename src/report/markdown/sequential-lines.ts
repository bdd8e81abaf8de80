/**
 * summary.md's sequential tests (analysis.mode: sequential): one line per SLO test per step with
 * its decision, when and on how many samples the evidence crossed, and the e-value against 1/α.
 * Shown only when a step has sequential tests, so other summaries are unchanged.
 */
import type { RunResult } from '../../model/result.js';
import { sequentialSentence, sequentialTitle } from '../sequential-text.js';
import { escapeMarkdown as md } from './escape.js';

/** The section (heading, one bullet per test, blank line), or no lines when no step has a sequential test. */
export function sequentialLines(result: RunResult): string[] {
  const lines = result.steps.flatMap((step) =>
    (step.sequential ?? []).map((trace) => {
      const said = sequentialSentence(trace);
      return `- Step ${step.index + 1}, ${md(sequentialTitle(trace))}: ${trace.decision === 'regression' ? `**${md(said)}**` : md(said)}`;
    }),
  );
  return lines.length ? ['**Sequential tests** (anytime-valid: the false-alarm bound α holds however often they looked)', '', ...lines, ''] : [];
}
