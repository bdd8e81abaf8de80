/**
 * Recover's part for measurements: the report of a run that was killed, written from the steps
 * that had finished (steps.jsonl) and marked partial (`partial: true` and `partialReason` in
 * result.json; a banner in report.html and summary.md; a property in junit.xml). A run directory
 * that already has its result.json is left as it is (the run wrote its own reports, or a recover
 * already did). When no step finished, no report is written and recover says so: a report without
 * a single measured step would only repeat the journal.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from '../errors.js';
import type { Outcome, RunResult } from '../model/result.js';
import { JSON_REPORT_FILE, writeReports } from '../report/index.js';
import type { JournalEntry } from './journal.js';
import { readStepLog, type SavedSteps } from './step-log.js';

/** What {@link writePartialReport} did. */
export type PartialReport =
  | { status: 'written'; files: string[]; steps: number; plannedSteps: number; reason: string; result: RunResult }
  | { status: 'no-steps' | 'not-needed'; reason: string };

const OUTCOMES: readonly Outcome[] = ['promoted', 'passed', 'rolled-back', 'error', 'interrupted'];
const EXIT_CODES: Record<Outcome, number> = { promoted: ExitCode.OK, passed: ExitCode.OK, 'rolled-back': ExitCode.SLO_FAILED, error: ExitCode.RUNTIME_ERROR, interrupted: ExitCode.SIGINT };
// What a shell reports for a process killed by SIGKILL (128 + 9): the usual way a run dies unjournaled.
const KILLED_EXIT_CODE = 137;

/** Options of {@link writePartialReport}. */
export interface PartialReportOptions {
  /** Absolute run directory. */
  runDir: string;
  /** The journal as the crashed run left it (before recover's own entries). */
  entries: readonly JournalEntry[];
  /** When recover ran, epoch ms. */
  now: number;
  /** Whether the mesh is as intended after recover (restored, released, or gone with the process). */
  restored: boolean;
  /** What recover did to the mesh, one sentence (goes into the summary). */
  meshSentence: string;
  /** The restore error, when recover could not restore. @default none */
  error?: string;
}

/** Why the report is partial, in words. */
function partialReason(saved: SavedSteps, entries: readonly JournalEntry[], now: number): string {
  const done = saved.steps.length;
  const planned = saved.run.plannedSteps;
  const end = entries.find((e) => e.type === 'end');
  const started = entries.filter((e) => e.type === 'apply' && typeof e.step === 'number').length;
  const when = end?.type === 'end'
    ? `after it ended (${end.outcome}) but before it wrote its reports`
    : `after step ${done} of ${planned}${started > done ? `, during step ${done + 1}` : ''}`;
  return `the run was killed ${when}; recovered at ${new Date(now).toISOString()}`;
}

/** Writes the partial report of a killed run when it has finished steps and no result.json yet. */
export async function writePartialReport(options: PartialReportOptions): Promise<PartialReport> {
  const { runDir, entries } = options;
  if (await stat(path.join(runDir, JSON_REPORT_FILE)).then(() => true, () => false)) {
    return { status: 'not-needed', reason: `${JSON_REPORT_FILE} is already there` };
  }
  const saved = await readStepLog(runDir);
  if (!saved || saved.steps.length === 0) {
    return { status: 'no-steps', reason: 'no step finished before the run was killed, so there are no measurements to report' };
  }
  const reason = partialReason(saved, entries, options.now);
  const end = entries.find((e): e is Extract<JournalEntry, { type: 'end' }> => e.type === 'end');
  const outcome = end && (OUTCOMES as readonly string[]).includes(end.outcome) ? (end.outcome as Outcome) : 'interrupted';
  const { run } = saved;
  const result: RunResult = {
    schemaVersion: 1,
    name: run.name,
    outcome,
    summary: `Partial report: ${reason}. It holds the ${saved.steps.length} of ${run.plannedSteps} steps that finished. ${options.meshSentence}`,
    exitCode: end ? EXIT_CODES[outcome] : KILLED_EXIT_CODE,
    startedAt: run.startedAt,
    // The crash is after the last thing the run journaled.
    endedAt: Math.max(entries.at(-1)?.time ?? run.startedAt, saved.steps.at(-1)!.endedAt),
    steps: saved.steps,
    restored: options.restored,
    ...(options.error !== undefined ? { error: options.error } : {}),
    experiment: run.experiment,
    ...(run.experimentSource !== undefined ? { experimentSource: run.experimentSource } : {}),
    environment: run.environment,
    events: [...saved.events, { time: options.now, message: `mesh-exp recover: ${reason}. ${options.meshSentence}` }],
    partial: true,
    partialReason: reason,
  };
  const files = await writeReports(result, runDir);
  return { status: 'written', files, steps: saved.steps.length, plannedSteps: run.plannedSteps, reason, result };
}
