/**
 * The one error vocabulary and exit-code table of mesh-exp (modelled on k6's `errext`).
 * {@link EXIT_CODE_TABLE} is the single source of the codes' meanings: the `--help` text and the
 * result schema are generated from it, and a test holds the README's table to it word for word.
 */

/** Exit codes by name. */
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

/** One row of the exit-code table. */
export interface ExitCodeEntry {
  /** The process exit code. */
  code: ExitCodeValue;
  /** Its name in {@link ExitCode}. */
  name: keyof typeof ExitCode;
  /** What it means for the user, one line (help, result schema and README say exactly this). */
  meaning: string;
}

/** Every exit code of mesh-exp, in the order help and docs list them. */
export const EXIT_CODE_TABLE: readonly ExitCodeEntry[] = [
  { code: ExitCode.OK, name: 'OK', meaning: 'passed: promoted, or restored after a passing run' },
  { code: ExitCode.SLO_FAILED, name: 'SLO_FAILED', meaning: 'an SLO failed; the mesh was rolled back' },
  { code: ExitCode.INVALID_INPUT, name: 'INVALID_INPUT', meaning: 'invalid input: experiment file, manifests or flags' },
  { code: ExitCode.RUNTIME_ERROR, name: 'RUNTIME_ERROR', meaning: 'runtime error; the mesh was restored' },
  {
    code: ExitCode.RESTORE_FAILED,
    name: 'RESTORE_FAILED',
    meaning: 'restore failed: the mesh may be left changed; see `journal.jsonl` in the run directory',
  },
  {
    code: ExitCode.TARGET_BUSY,
    name: 'TARGET_BUSY',
    meaning: 'the target is held by another run (in progress, or crashed: `mesh-exp recover <run dir>`); nothing was changed',
  },
  { code: ExitCode.SIGHUP, name: 'SIGHUP', meaning: 'stopped by SIGHUP (128 + 1), after restoring' },
  { code: ExitCode.SIGINT, name: 'SIGINT', meaning: 'stopped by SIGINT / Ctrl-C (128 + 2), after restoring' },
  { code: ExitCode.SIGTERM, name: 'SIGTERM', meaning: 'stopped by SIGTERM (128 + 15), after restoring' },
];

/**
 * The codes other than 0 and 1, worst first, for a game day that ends with the worst of its
 * experiments' codes: a failed restore needs a human at once; a signal means the user stopped the
 * day; then a target held by another run, a runtime error, bad input.
 */
export const EXIT_CODE_SEVERITY: readonly ExitCodeValue[] = [
  ExitCode.RESTORE_FAILED,
  ExitCode.SIGINT,
  ExitCode.SIGTERM,
  ExitCode.SIGHUP,
  ExitCode.TARGET_BUSY,
  ExitCode.RUNTIME_ERROR,
  ExitCode.INVALID_INPUT,
];

/** The exit-code table as `--help` prints it: one indented `code  meaning` line per code. */
export function exitCodesHelp(): string {
  return EXIT_CODE_TABLE.map((e) => `  ${String(e.code).padEnd(5)}${e.meaning}`).join('\n');
}

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
  /**
   * Set on the last entry of a list cut short (at most 50 problems are listed per document): it
   * stands for this many problems, located at the first of them and not listed. @default absent
   */
  more?: number;
}

/** Problems listed for one document at the most; the rest are counted in one last entry (`more`). */
export const MAX_PROBLEMS = 50;

/**
 * The last entry of a list cut short at {@link MAX_PROBLEMS}: it stands for `more` problems of
 * kind `what` (e.g. "problem", "YAML error") from `at` on, which are not listed.
 */
export function moreProblems(more: number, what: string, at: Pick<Problem, 'file' | 'line' | 'col'>): Problem {
  const noun = more === 1 ? what : `${what}s`;
  return {
    ...at,
    path: '',
    message: `${more.toLocaleString('en-US')} more ${noun} from here on, not listed (only the first ${MAX_PROBLEMS} are)`,
    hint: 'correct the ones listed, then validate again to see the rest',
    more,
  };
}

/** How many problems a list stands for: each entry one, a cut-short list's last entry its `more`. */
export function problemCount(problems: readonly Problem[]): number {
  return problems.reduce((n, p) => n + (p.more ?? 1), 0);
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
    const n = problemCount(problems);
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
