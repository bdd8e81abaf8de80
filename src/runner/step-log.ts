/**
 * steps.jsonl in the run directory: the measurements of a run as it goes, so they survive a crash.
 * The first line describes the run (name, experiment, environment, planned steps); each step that
 * finishes appends one fsync'd line with its StepResult (window statistics per version, checks
 * and verdicts, decision) and the run's events since the line before. `mesh-exp recover` reads
 * it back, every line checked against the zod schema of src/model/result-schema.ts, to write a
 * partial report of a run that was killed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { RunResult, StepResult } from '../model/result.js';
import { stepLogLineSchema, type stepLogRunSchema } from '../model/result-schema.js';
import { createJsonlAppender } from './jsonl-append.js';

/** File name of the step log inside the run directory. */
export const STEP_LOG_FILE = 'steps.jsonl';

/** The run line of steps.jsonl, without its `kind`. */
export type StepLogRun = Omit<z.output<typeof stepLogRunSchema>, 'kind'>;

/** Appends to a run's steps.jsonl. */
export interface StepLog {
  /** Absolute path of steps.jsonl. */
  readonly path: string;
  /** Writes the run line (once, when the run starts). */
  start(run: StepLogRun): Promise<void>;
  /** Appends a finished step and the events not written yet. */
  step(step: StepResult): Promise<void>;
}

/** Creates the step log of run directory `dir`; `events` is the run's (growing) event list. */
export function createStepLog(dir: string, events: readonly RunResult['events'][number][]): StepLog {
  const appender = createJsonlAppender(path.join(dir, STEP_LOG_FILE));
  let written = 0;
  const since = () => {
    const fresh = events.slice(written);
    written = events.length;
    return fresh;
  };
  return {
    path: appender.path,
    start: (run) => appender.append({ kind: 'run', ...run }),
    step: (step) => appender.append({ kind: 'step', step, events: since() }),
  };
}

/** What steps.jsonl holds. */
export interface SavedSteps {
  /** The run line. */
  run: StepLogRun;
  /** The finished steps, in order. */
  steps: StepResult[];
  /** The run's events up to the last finished step. */
  events: RunResult['events'];
}

/**
 * Reads a run directory's steps.jsonl; undefined when there is none (or it has no run line yet).
 * A torn last line (a crash mid-write) is ignored; any other bad line is a ValidationError naming
 * the file, the line and the field.
 */
export async function readStepLog(dir: string): Promise<SavedSteps | undefined> {
  const file = path.join(dir, STEP_LOG_FILE);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const last = lines.findLastIndex((l) => l.trim() !== '');
  let run: StepLogRun | undefined;
  const steps: StepResult[] = [];
  const events: RunResult['events'] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === last && !text.endsWith('\n')) return;
      throw stepLogError(file, i + 1, '', 'not a JSON line');
    }
    const parsed = stepLogLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw stepLogError(file, i + 1, issue.path.join('.'), issue.message);
    }
    if (parsed.data.kind === 'run') {
      const { kind: _kind, ...rest } = parsed.data;
      run = rest;
    } else {
      steps.push(parsed.data.step);
      events.push(...parsed.data.events);
    }
  });
  return run ? { run, steps, events } : undefined;
}

function stepLogError(file: string, line: number, at: string, message: string): ValidationError {
  return new ValidationError([{ file, line, path: at, message: `damaged step log: ${message}` }], {
    hint: 'steps.jsonl is written by `mesh-exp run`; the measurements in it cannot be reported',
  });
}
