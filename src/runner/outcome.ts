/**
 * Turning how a run ended into its RunResult fields: outcome, exit code and summary.
 */
import { summarizeRun } from '../analysis/decide.js';
import { ExitCode, ValidationError, type ExitCodeValue } from '../errors.js';
import type { Outcome, StepResult } from '../model/result.js';
import { abortExitCode, abortSignalName } from './abort.js';

/** How the run ended, before restore. */
export interface RunEnd {
  /** Outcome decided by the steps (or interrupted/error). */
  outcome: Outcome;
  /** Steps completed. */
  steps: StepResult[];
  /** Whether the mesh ended as intended (restored, or promoted). */
  restored: boolean;
  /** Exit code of the error (`exitCodeOf(err)`), for outcome "error". @default ExitCode.RUNTIME_ERROR */
  errorExitCode?: ExitCodeValue;
  /** Error message(s): the run's error and/or the restore failure. */
  error?: string;
  /** The abort reason, for outcome "interrupted". */
  abortReason?: unknown;
  /** Step that was running when the run stopped. */
  activeStep?: number;
}

/** Exit code of a run: a failed restore (4) trumps everything; then the signal, error, SLO verdict. */
export function exitCodeFor(end: RunEnd): ExitCodeValue {
  if (!end.restored) return ExitCode.RESTORE_FAILED;
  switch (end.outcome) {
    case 'promoted':
    case 'passed':
      return ExitCode.OK;
    case 'rolled-back':
      return ExitCode.SLO_FAILED;
    case 'interrupted':
      return abortExitCode(end.abortReason);
    case 'error':
      return end.errorExitCode ?? ExitCode.RUNTIME_ERROR;
  }
}

/** The one-sentence summary of the run. */
export function summaryFor(end: RunEnd): string {
  return summarizeRun({
    outcome: end.outcome,
    steps: end.steps,
    restored: end.restored,
    ...(end.error !== undefined ? { error: end.error } : {}),
    ...(end.outcome === 'interrupted' ? { signal: abortSignalName(end.abortReason) } : {}),
    ...(end.activeStep !== undefined ? { activeStep: end.activeStep } : {}),
  });
}

/** Problems an error message names at the most; the rest are counted. */
const NAMED_PROBLEMS = 3;

/**
 * What went wrong, in one line, for the run's events, summary and result.json. A ValidationError's
 * message is only a count ("1 problem found"), so its first problems are named after it.
 */
export function errorText(err: unknown): string {
  if (!(err instanceof ValidationError)) return err instanceof Error ? err.message : String(err);
  const named = err.problems.slice(0, NAMED_PROBLEMS).map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
  const rest = err.problems.length - named.length;
  return `${err.message}: ${named.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`;
}
