/**
 * The one state object passed down from `main()` (modelled on k6's GlobalState): nothing below
 * `main()` touches `process.*`, so the whole CLI runs in-process in tests.
 */
import { createFailpoint, FAILPOINT_ENV, type Failpoint, type FailpointName } from './failpoints.js';
import { toTerminal } from './terminal-text.js';

/** Where output goes; a subset of a Node Writable so tests can capture it. */
export interface OutputStream {
  /** Writes text as is (no newline added). */
  write(chunk: string): unknown;
  /** True when a human is watching: enables the live progress view. */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** Levelled logger writing to stderr. */
export interface Logger {
  /** Detail shown only with `--verbose`. */
  debug(msg: string): void;
  /** Normal progress lines. */
  info(msg: string): void;
  /** Something the user should know but that does not stop the run. */
  warn(msg: string): void;
  /** Something failed. */
  error(msg: string): void;
}

/** Time source; injectable so tests can reason about windows. */
export interface Clock {
  /** Milliseconds since the epoch (wall clock; used for report timestamps). */
  now(): number;
  /** Monotonic milliseconds (used for latency and scheduling). */
  monotonic(): number;
}

/**
 * What the process is doing, as far as a signal is concerned: `main()` words its notice, and
 * decides whether to stop at once, from it (`cli/interrupt.ts`). Commands and the runner set it.
 * - `idle`: nothing is changed: start-up, reading and checking input, planning, a run's set-up.
 * - `changed`: a run has begun journaling and changing the mesh; a signal restores it first.
 * - `restoring`: a run is putting the mesh back. - `promoting`: a run is writing its promotion.
 * - `finishing`: the run is over (restored or promoted); its reports are being written.
 * - `between-experiments`: a game day is between two of its experiments (none changes the mesh);
 *   a signal skips the rest and lets it write the day's reports.
 * - `serving`: `mesh-exp mesh` is serving. - `recovering`: `mesh-exp recover` is at work.
 */
export type Phase = 'idle' | 'changed' | 'restoring' | 'promoting' | 'finishing' | 'between-experiments' | 'serving' | 'recovering';

/** Everything a command needs from the outside world. */
export interface Context {
  /** Standard output: results (tables, JSON). */
  stdout: OutputStream;
  /** Standard error: logs and progress. */
  stderr: OutputStream;
  /** Environment variables (never read `process.env` below `main()`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory relative paths resolve against. */
  cwd: string;
  /** Aborted when the run must stop (SIGINT/SIGTERM/SIGHUP); `signal.reason` is a `SignalError`. */
  signal: AbortSignal;
  /** Time source. */
  clock: Clock;
  /** Logger writing to `stderr`. */
  logger: Logger;
  /** Whether colour may be used (false when `NO_COLOR` is set or stdout is not a TTY). */
  color: boolean;
  /** Crash points for tests (`MESH_EXP_FAILPOINT` in `env`; see `failpoints.ts`); a no-op when unset. */
  failpoint: Failpoint;
  /** What the process is doing, for the notice of a signal; set as the command goes. @default "idle" */
  phase: Phase;
  /**
   * Process groups the command started (command backends) and has not yet seen gone. `main()`
   * kills them before it exits at once on a signal, so no child outlives the process on any path.
   * @default an empty set
   */
  processGroups: Set<number>;
}

/** Options for {@link createContext}; every field defaults to a harmless in-memory value. */
export interface ContextOptions {
  /** @default a stream that discards output */
  stdout?: OutputStream;
  /** @default a stream that discards output */
  stderr?: OutputStream;
  /** @default {} */
  env?: Record<string, string | undefined>;
  /** @default "." */
  cwd?: string;
  /** @default a signal that never aborts */
  signal?: AbortSignal;
  /** @default the system clock */
  clock?: Clock;
  /** @default false */
  verbose?: boolean;
  /** @default true when stdout is a TTY and NO_COLOR is unset */
  color?: boolean;
  /**
   * What an armed failpoint's `kill` does. `main()` sends the process SIGKILL; in-process there is
   * no process to kill, so by default it throws.
   * @default throws an Error naming the failpoint
   */
  kill?: (failpoint: FailpointName) => void;
}

/** The system clock: `Date.now()` and `performance.now()`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

const discard: OutputStream = { write: () => true };

// Every write of the context passes through the terminal rule (terminal-text.ts), so text from an
// experiment or a backend cannot drive the terminal whichever printer it reaches; here rather than
// in main() so that in-process tests see exactly what a terminal would. JSON output stays the same
// JSON: the rule writes a control as its \uXXXX escape, which JSON reads as the same character.
function terminalStream(out: OutputStream): OutputStream {
  return {
    write: (chunk: string) => out.write(toTerminal(chunk)),
    get isTTY() {
      return out.isTTY;
    },
    get columns() {
      return out.columns;
    },
  };
}

/** Creates a context; tests pass capturing streams, `main()` passes the process's. */
export function createContext(options: ContextOptions = {}): Context {
  const stdout = terminalStream(options.stdout ?? discard);
  const stderr = terminalStream(options.stderr ?? discard);
  const env = options.env ?? {};
  // NO_COLOR: any non-empty value disables colour (https://no-color.org).
  const color = options.color ?? (Boolean(stdout.isTTY) && !env['NO_COLOR']);
  const verbose = options.verbose ?? false;
  const line = (prefix: string) => (msg: string) => void stderr.write(`${prefix}${msg}\n`);
  const kill =
    options.kill ??
    ((name: FailpointName) => {
      // Deliberately a plain Error, not a MeshExpError: it stands in for a crash (testing only, MESH_EXP_FAILPOINT).
      throw new Error(`failpoint ${name} reached (in-process: thrown instead of SIGKILL)`);
    });
  return {
    stdout,
    stderr,
    env,
    cwd: options.cwd ?? '.',
    signal: options.signal ?? new AbortController().signal,
    clock: options.clock ?? systemClock,
    color,
    failpoint: createFailpoint({ spec: env[FAILPOINT_ENV], kill, write: line('') }),
    phase: 'idle',
    processGroups: new Set(),
    logger: {
      debug: verbose ? line('debug: ') : () => {},
      info: line(''),
      warn: line('warning: '),
      error: line('error: '),
    },
  };
}

/** An output stream that keeps everything written, for tests. */
export function createCaptureStream(isTTY = false): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (chunk: string) => chunks.push(chunk),
    text: () => chunks.join(''),
  };
}
