/**
 * Building a game day's result.json, the same way for a day that ran to its end and for one
 * `mesh-exp recover` finishes from its journal.
 */
import type { ExitCodeValue } from '../errors.js';
import type { GameDayExperimentResult, GameDayResult } from '../model/gameday-result.js';
import type { RunResult } from '../model/result.js';
import type { GameDayJournalEntry, PlannedExperiment } from './journal.js';
import { judgeGameDay, statusOfRun } from './verdict.js';

/** The run directory of the day's experiment `index` (0-based), inside the game day's directory: `01-<name>`. */
export function runDirName(index: number, name: string): string {
  return `${String(index + 1).padStart(2, '0')}-${name}`;
}

/** An experiment's entry before it runs (status and summary to be set). */
export function notStarted(planned: PlannedExperiment): Omit<GameDayExperimentResult, 'status' | 'summary'> {
  return { index: planned.index, name: planned.name, source: planned.source, continueOnFailure: planned.continueOnFailure };
}

/** An experiment's fields that its run's result gives. */
export function fromRun(run: RunResult): Pick<GameDayExperimentResult, 'status' | 'outcome' | 'exitCode' | 'restored' | 'summary' | 'startedAt' | 'endedAt'> {
  return { status: statusOfRun(run), outcome: run.outcome, exitCode: run.exitCode, restored: run.restored, summary: run.summary, startedAt: run.startedAt, endedAt: run.endedAt };
}

/** What {@link dayResult} needs. */
export interface DayResultInput {
  /** The day's own fields, as its journal's start line has them. */
  start: Pick<Extract<GameDayJournalEntry, { type: 'start' }>, 'name' | 'description' | 'labels' | 'maxFailures'>;
  /** Start of the day, epoch ms. */
  startedAt: number;
  /** End of the day, epoch ms. */
  endedAt: number;
  /** Every experiment, in order. */
  experiments: GameDayExperimentResult[];
  /** The exit code of a signal that stopped the day. @default none */
  stoppedBy?: ExitCodeValue;
  /** Written by recover from the journal of a killed day. @default false */
  partial?: boolean;
}

/** The day's result.json. */
export function dayResult(input: DayResultInput): GameDayResult {
  const { start } = input;
  return {
    schemaVersion: 1,
    kind: 'GameDay',
    name: start.name,
    ...(start.description !== undefined ? { description: start.description } : {}),
    labels: start.labels,
    maxFailures: start.maxFailures,
    ...judgeGameDay(input.experiments, start.maxFailures, input.stoppedBy),
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    ...(input.partial ? { partial: true } : {}),
    experiments: input.experiments,
  };
}

/** The planned experiments of a start line that have no entry yet, as "not run" (a killed day). */
export function notRun(planned: readonly PlannedExperiment[], done: ReadonlySet<number>, why: string): GameDayExperimentResult[] {
  return planned.filter((p) => !done.has(p.index)).map((p) => ({ ...notStarted(p), status: 'not-run', summary: why }));
}
