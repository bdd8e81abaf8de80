/**
 * The one error vocabulary and exit-code table of mesh-exp (modelled on k6's `errext`).
 *
 * | code | name            | meaning                                                          |
 * |------|-----------------|------------------------------------------------------------------|
 * | 0    | OK              | experiment passed (promoted, or restored after a passing run)    |
 * | 1    | SLO_FAILED      | an SLO failed; the mesh was rolled back to its original state    |
 * | 2    | INVALID_INPUT   | the experiment file, manifests or command line are invalid       |
 * | 3    | RUNTIME_ERROR   | something broke while running (provider, backend, I/O); restored |
 * | 4    | RESTORE_FAILED  | the mesh could NOT be restored: act by hand (journal in run dir) |
 * | 5    | TARGET_BUSY     | another run holds the target (running, or crashed: recover it)    |
 * | 130  | SIGINT          | stopped by Ctrl-C / SIGINT after restoring (128 + 2)             |
 * | 143  | SIGTERM         | stopped by SIGTERM after restoring (128 + 15)                    |
 * | 129  | SIGHUP          | stopped by SIGHUP after restoring (128 + 1)                      |
 */
export const ExitCode = {
  OK: 0,
  SLO_FAILED: 1,
  INVALID_INPUT: 2,
  RUNTIME_ERROR: 3,
  RESTORE_FAILED: 4,
  TARGET_BUSY: 5,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

/** A value of the exit-code table. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Signals the CLI handles, and the exit code each ends with (128 + signal number). */
export const signalExitCode: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', ExitCodeValue> = {
  SIGINT: ExitCode.SIGINT,
  SIGTERM: ExitCode.SIGTERM,
  SIGHUP: ExitCode.SIGHUP,
};

/** Options shared by every mesh-exp error. */
export interface MeshExpErrorOptions {
  /** What the user can do about it, printed under the message. */
  hint?: string;
  /** The underlying error, kept for `--verbose` and logs, never printed as a stack for user mistakes. */
  cause?: unknown;
}

/** Base class: every error mesh-exp raises on purpose carries an exit code and an optional hint. */
export class MeshExpError extends Error {
  /** Exit code the CLI ends with when this error reaches the top. */
  readonly exitCode: ExitCodeValue;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCodeValue, options: MeshExpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** One problem found in user input, located as precisely as the input allows. */
export interface Problem {
  /** File the problem is in, as the user named it (relative paths stay relative). */
  file?: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  col?: number;
  /** Dotted path of the field, e.g. `spec.traffic.shift.steps[2]`; empty for the whole document. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
  /** What to do about it (e.g. "did you mean `stepWeight`?"). */
  hint?: string;
}

/** Formats a problem as `file:line:col path: message (hint)`, the one format every command prints. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.col].filter((x) => x !== undefined).join(':');
  const head = where ? `${where} ` : '';
  const path = p.path ? `${p.path}: ` : '';
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${head}${path}${p.message}${hint}`;
}

/** Invalid user input (experiment file, manifests, flags). Carries every problem found, not just the first. */
export class ValidationError extends MeshExpError {
  /** All problems, in file order. */
  readonly problems: Problem[];

  constructor(problems: Problem[], options: MeshExpErrorOptions = {}) {
    const n = problems.length;
    super(`${n} problem${n === 1 ? '' : 's'} found`, ExitCode.INVALID_INPUT, options);
    this.problems = problems;
  }
}

/** A user mistake that is not about a file's content (bad flag, missing file). Exit 2. */
export class UsageError extends MeshExpError {
  constructor(message: string, options: MeshExpErrorOptions = {}) {
    super(message, ExitCode.INVALID_INPUT, options);
  }
}

/** Something broke while running: provider, backend, network, I/O. Exit 3. */
export class RuntimeError extends MeshExpError {
  constructor(message: string, options: MeshExpErrorOptions = {}) {
    super(message, ExitCode.RUNTIME_ERROR, options);
  }
}

/** The mesh could not be put back as it was. Exit 4: the most serious outcome, a human must act. */
export class RestoreError extends MeshExpError {
  constructor(message: string, options: MeshExpErrorOptions = {}) {
    super(message, ExitCode.RESTORE_FAILED, options);
  }
}

/**
 * The target VirtualService is held by another run: one in progress, or one that crashed and was
 * not recovered (its journal names what to put back). Nothing was changed. Exit 5.
 */
export class TargetBusyError extends MeshExpError {
  /** The journal named by the object's ownership mark, when the object carries one. */
  readonly owner: string | undefined;

  constructor(message: string, options: MeshExpErrorOptions & { owner?: string } = {}) {
    super(message, ExitCode.TARGET_BUSY, options);
    this.owner = options.owner;
  }
}

/** Thrown (as an abort reason) when a handled signal stops the run. */
export class SignalError extends MeshExpError {
  /** The signal that stopped the run. */
  readonly signal: keyof typeof signalExitCode;

  constructor(signal: keyof typeof signalExitCode) {
    super(`stopped by ${signal}`, signalExitCode[signal]);
    this.signal = signal;
  }
}

/** Maps anything thrown to an exit code: our errors carry one, anything else is a runtime error. */
export function exitCodeOf(err: unknown): ExitCodeValue {
  return err instanceof MeshExpError ? err.exitCode : ExitCode.RUNTIME_ERROR;
}
