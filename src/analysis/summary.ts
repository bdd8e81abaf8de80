/**
 * The one-sentence `summary` of a RunResult: the verdict first, then why. For a rollback the
 * first sentence names the failed check, the step, the value, the threshold, by how much the
 * value missed it (relative to the threshold) and the samples.
 */
import type { CheckResult, Outcome, StepResult } from '../model/result.js';
import { formatConfidence, formatEValue, plural } from './format.js';
import { formatCheckValue, SEQUENTIAL_CHECK_KIND } from './registry.js';

/** What the summary is written from; a RunResult without its summary fits. */
export interface SummaryInput {
  /** Outcome of the run. */
  outcome: Outcome;
  /** Steps run, in order. */
  steps: readonly StepResult[];
  /** Whether the mesh was restored to its original state. */
  restored: boolean;
  /** Error message, for outcome "error". */
  error?: string;
  /** Signal that stopped the run, for outcome "interrupted", e.g. "SIGINT". */
  signal?: string;
  /** 0-based index of the step that was running when the run stopped (interrupted or error). */
  activeStep?: number;
}

const NOT_RESTORED = 'the mesh could NOT be restored; see the journal in the run directory';

/** "step 2 (canary 25%)" for a 0-based index, with the label when the step was recorded. */
function stepPhrase(index: number, steps: readonly StepResult[]): string {
  const label = steps.find((s) => s.index === index)?.label;
  return label ? `step ${index + 1} (${label})` : `step ${index + 1}`;
}

/** "all 8 checks passed over 4 steps" or "6 of 8 checks passed over 4 steps; 1 failed and 1 had no data, below the rollback threshold". */
function countsPhrase(steps: readonly StepResult[]): string {
  const checks = steps.flatMap((s) => s.checks);
  const over = `over ${plural(steps.length, 'step')}`;
  const passed = checks.filter((c) => c.verdict === 'pass').length;
  const failed = checks.filter((c) => c.verdict === 'fail').length;
  const noData = checks.length - passed - failed;
  if (checks.length === 0) return `no SLOs were checked ${over}`;
  if (passed === checks.length) return `${checks.length === 1 ? 'the single check' : `all ${checks.length} checks`} passed ${over}`;
  const misses = [failed > 0 ? `${failed} failed` : '', noData > 0 ? `${noData} had no data` : ''].filter(Boolean).join(' and ');
  return `${passed} of ${plural(checks.length, 'check')} passed ${over}; ${misses}, below the rollback threshold`;
}

/**
 * The check to name for a rollback: the first failure of the rollback step (a "fail", else a
 * "no-data", which only counts with noDataFails and then is what tipped it), else an earlier one.
 */
function culprit(rollbackStep: StepResult | undefined, steps: readonly StepResult[]): { step: StepResult; check: CheckResult } | undefined {
  const ordered = [rollbackStep, ...[...steps].reverse().filter((s) => s !== rollbackStep)];
  for (const step of ordered) {
    if (!step) continue;
    const check = step.checks.find((c) => c.verdict === 'fail') ?? step.checks.find((c) => c.verdict === 'no-data');
    if (check) return { step, check };
  }
  return undefined;
}

function rolledBack(input: SummaryInput): string {
  const rollbackStep = [...input.steps].reverse().find((s) => s.decision === 'rollback') ?? input.steps.at(-1);
  const found = culprit(rollbackStep, input.steps);
  const tail = input.restored ? '' : ` ${capitalize(NOT_RESTORED)}.`;
  if (!found) {
    const where = rollbackStep ? ` at ${stepPhrase(rollbackStep.index, input.steps)}` : '';
    return `Rolled back${where}.${tail}`;
  }
  const { step, check } = found;
  const threshold = `${formatCheckValue(check.kind, check.threshold)} ${check.comparator}`;
  const samples = plural(check.samples, 'request');
  // A relative check's value already says how much worse than the stable; its interval says how
  // sure, which "+1080% past the allowed increase" would not.
  const by =
    check.value === null
      ? ''
      : check.kind.startsWith('relative-') && check.interval
        ? `${formatConfidence(check.interval.confidence)} CI ${formatCheckValue(check.kind, check.interval.low)}…${formatCheckValue(check.kind, check.interval.high)}`
        : overshoot(check.value, check.threshold);
  // A sequential test's value is an e-value: how far past 1/α it went says nothing more than "certain".
  const sequential = check.kind === SEQUENTIAL_CHECK_KIND && check.verdict === 'fail' && check.value !== null;
  const why = sequential
    ? `${check.name} was certain of a regression (e-value ${formatEValue(check.value!)} ≥ ${formatEValue(check.threshold)} = 1/α) over ${samples} so far`
    : check.verdict === 'fail' && check.value !== null
      ? `${check.name} was ${formatCheckValue(check.kind, check.value)} against a ${threshold}${by ? ` (${by})` : ''} over ${samples}`
      : `${check.name} had no data to judge against a ${threshold} (only ${samples})`;
  const total = rollbackStep?.failedChecksTotal ?? 0;
  const more = total > 1 ? ` In all, ${total} checks counted as failed.` : '';
  return `Rolled back at ${stepPhrase(step.index, input.steps)}: ${why}.${more}${tail}`;
}

/**
 * How far a failed value is past its threshold, relative to it: "+62%" (above a max), "-4.2%"
 * (below a min); empty when the threshold is 0 (the value itself says how far). One decimal under
 * 10%, so a near miss does not read as "+0%".
 */
export function overshoot(value: number, threshold: number): string {
  if (threshold === 0 || !Number.isFinite(value) || !Number.isFinite(threshold)) return '';
  const relative = ((value - threshold) / Math.abs(threshold)) * 100;
  const digits = Math.abs(relative) < 10 ? 1 : 0;
  const text = Math.abs(relative).toFixed(digits).replace(/\.0$/, '');
  return `${relative < 0 ? '-' : '+'}${text}%`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Writes the summary sentence of a run. Pure. */
export function summarizeRun(input: SummaryInput): string {
  const restoredClause = input.restored ? 'the mesh was restored' : NOT_RESTORED;
  switch (input.outcome) {
    case 'promoted':
      return `Promoted: ${countsPhrase(input.steps)} (canary now at 100%).`;
    case 'passed':
      return input.restored
        ? `Passed and restored: ${countsPhrase(input.steps)}; the mesh is back to its original routes.`
        : `Passed: ${countsPhrase(input.steps)}, but ${NOT_RESTORED}.`;
    case 'rolled-back':
      return rolledBack(input);
    case 'interrupted': {
      const by = input.signal ? ` by ${input.signal}` : '';
      const when =
        input.activeStep !== undefined
          ? `during ${stepPhrase(input.activeStep, input.steps)}`
          : input.steps.length > 0
            ? `after step ${input.steps.length}`
            : 'before the first step';
      return `Interrupted${by} ${when}; ${restoredClause}.`;
    }
    case 'error': {
      const message = (input.error ?? 'unknown error').replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
      const head = input.activeStep !== undefined ? `Error during ${stepPhrase(input.activeStep, input.steps)}` : 'Error';
      return `${head}: ${message}; ${restoredClause}.`;
    }
  }
}
