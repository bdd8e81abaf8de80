/**
 * Runs one case through the CLI in-process: `validate`, then `run` with the context's signal
 * aborted after the case's delay (as Ctrl-C would). Each phase is raced against its time bound;
 * a phase that does not end is recorded as such, never awaited further.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { SignalError } from '../../../src/errors.js';
import type { CaseDir } from './case-dir.js';
import { FUZZ_BOUNDS } from './fuzz-settings.js';
import { FUZZ_HOOK_ENV, FUZZ_HOOK_URL } from './notify-ops.js';
import { scheduleArgv, type ScheduleCase } from './schedule-case.js';

/** How one CLI invocation ended. */
export interface PhaseOutcome {
  /** Exit code; undefined when the phase did not end in time or runCli itself rejected. */
  code?: number;
  stdout: string;
  stderr: string;
  /** Wall time, or the bound when it did not end. */
  ms: number;
  /** The bound it exceeded, when it did not end in time. */
  timedOutAfterMs?: number;
  /** What runCli rejected with (it should always resolve with a code). */
  rejected?: string;
}

/** A run's result.json, the fields the checks read. */
export interface RunResultFields {
  outcome?: string;
  restored?: boolean;
  exitCode?: number;
  environment?: Record<string, string>;
}

/** What `run` left in its run directory, when it got that far. */
export interface RunArtifacts {
  /** result.json, parsed (an experiment's run). */
  result?: RunResultFields;
  /** A game day's result.json, parsed, and the result.json of each of its runs that wrote one. */
  day?: { exitCode?: number; experiments?: { name?: string; restored?: boolean; runDir?: string }[]; runs: RunResultFields[] };
}

const readJson = async <T>(file: string): Promise<T | undefined> => {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as T);
};

/** `p`'s outcome, or "timeout" after `ms`; the timer is cleared either way (a pending one is a handle). */
async function settle<T>(p: Promise<T>, ms: number): Promise<{ ok: true; v: T } | { ok: false; e: unknown } | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((r) => (timer = setTimeout(r, ms, 'timeout')));
  try {
    return await Promise.race([p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e })), bound]);
  } finally {
    clearTimeout(timer);
  }
}

async function invoke(argv: string[], cwd: string, opts: { tty: boolean; env: Record<string, string>; signal?: AbortSignal; boundMs: number }): Promise<PhaseOutcome> {
  const stdout = createCaptureStream(opts.tty);
  const stderr = createCaptureStream(opts.tty);
  const ctx = createContext({ cwd, stdout, stderr, env: opts.env, ...(opts.signal ? { signal: opts.signal } : {}) });
  const t0 = performance.now();
  const ended = await settle(runCli(argv, ctx), opts.boundMs);
  const base = { stdout: stdout.text(), stderr: stderr.text(), ms: performance.now() - t0 };
  if (ended === 'timeout') return { ...base, timedOutAfterMs: opts.boundMs };
  if (!ended.ok) return { ...base, rejected: ended.e instanceof Error ? `${ended.e.stack}` : String(ended.e) };
  return { ...base, code: ended.v };
}

/**
 * `mesh-exp validate` on the case's experiment, on a terminal (capture streams that say TTY, with
 * NO_COLOR so that every escape in the output would come from the input), and the secret URL
 * `spec.notify` cases name.
 */
export function validatePhase(d: CaseDir): Promise<PhaseOutcome> {
  return invoke(['validate', d.experiment], d.dir, { tty: true, env: { NO_COLOR: '1', [FUZZ_HOOK_ENV]: FUZZ_HOOK_URL }, boundMs: FUZZ_BOUNDS.validateMs });
}

/**
 * `mesh-exp run` on the case's experiment, interrupted `abortAfterMs` after it starts; it must end
 * within {@link FUZZ_BOUNDS.runAfterAbortMs} after that. PATH is an empty directory, so a
 * generated backend `command` can start no program.
 */
export async function runPhase(d: CaseDir, abortAfterMs: number): Promise<{ outcome: PhaseOutcome; artifacts: RunArtifacts }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new SignalError('SIGINT')), abortAfterMs);
  const outcome = await invoke(['run', d.experiment, '--report-dir', d.reportDir], d.dir, {
    tty: false,
    env: { PATH: d.emptyPath, NO_COLOR: '1', [FUZZ_HOOK_ENV]: FUZZ_HOOK_URL },
    signal: controller.signal,
    boundMs: abortAfterMs + FUZZ_BOUNDS.runAfterAbortMs,
  });
  clearTimeout(timer);
  const artifacts: RunArtifacts = {};
  const written = await readJson<RunResultFields & { kind?: string }>(path.join(d.reportDir, 'result.json'));
  if (written?.kind === 'GameDay') {
    const day = written as Omit<NonNullable<RunArtifacts['day']>, 'runs'>;
    const runs = await Promise.all((day.experiments ?? []).flatMap((e) => (e.runDir ? [readJson<RunResultFields>(path.join(d.reportDir, e.runDir, 'result.json'))] : [])));
    artifacts.day = { ...day, runs: runs.filter((r): r is RunResultFields => r !== undefined) };
  } else if (written) artifacts.result = written;
  return { outcome, artifacts };
}

/** `mesh-exp schedule` on the case's experiment, printing only (never --apply), on a terminal as validate is. */
export function schedulePhase(d: CaseDir, s: ScheduleCase): Promise<PhaseOutcome> {
  return invoke(scheduleArgv(d.experiment, s), d.dir, { tty: true, env: { NO_COLOR: '1' }, boundMs: FUZZ_BOUNDS.validateMs });
}
