/**
 * The decision after a step, as a pure function of the step's checks and the run so far
 * (Flagger's model: failed checks accumulate over the run; reaching the threshold rolls back).
 */
import type { CheckResult, StepDecision } from '../model/result.js';

export { summarizeRun, type SummaryInput } from './summary.js';

/** What the decision after a step depends on. */
export interface DecideInput {
  /** Checks judged at the end of this step. */
  checks: readonly CheckResult[];
  /** Failed checks counted in earlier steps (the previous step's `failedChecksTotal`; 0 at the first step). */
  failedSoFar: number;
  /** Failed checks (cumulative over the run) that trigger a rollback: `analysis.threshold`, >= 1. */
  threshold: number;
  /** Whether a "no-data" check counts as failed toward the threshold (`analysis.noDataFails`). */
  noDataFails: boolean;
  /** Whether this was the last step of the experiment. */
  lastStep: boolean;
  /** Whether a successful run leaves the change in place (`traffic.shift.promote`); false for faults and mirrors. */
  promote: boolean;
}

/** The decision and the updated failure count, to store in StepResult. */
export interface DecideOutput {
  /**
   * "rollback" when failures reached the threshold or a critical check failed; otherwise "continue" before the last step,
   * and after it "promote" (promote: true) or "complete" (restore the original routes).
   */
  decision: StepDecision;
  /** failedSoFar plus this step's counted failures. */
  failedChecksTotal: number;
}

/** Whether a check counts toward the rollback threshold. */
export function countsAsFailure(check: Pick<CheckResult, 'verdict'>, noDataFails: boolean): boolean {
  return check.verdict === 'fail' || (noDataFails && check.verdict === 'no-data');
}

/** Decides what happens after a step. Pure. */
export function decide(input: DecideInput): DecideOutput {
  const failedNow = input.checks.filter((c) => countsAsFailure(c, input.noDataFails)).length;
  const failedChecksTotal = input.failedSoFar + failedNow;
  // A threshold below 1 would roll back a run with no failures; the schema forbids it, guard anyway.
  const threshold = Math.max(1, input.threshold);
  // A failed critical check (beyond a relative SLO's criticalIncrease, or an early abort) does not
  // wait for the threshold: that is what "critical" means (Kayenta's critical metrics).
  const critical = input.checks.some((c) => c.critical === true && c.verdict === 'fail');
  let decision: StepDecision;
  if (critical || failedChecksTotal >= threshold) decision = 'rollback';
  else if (!input.lastStep) decision = 'continue';
  else decision = input.promote ? 'promote' : 'complete';
  return { decision, failedChecksTotal };
}
