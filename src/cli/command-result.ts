import type { ExitCodeValue } from '../errors.js';

/** Commands report their exit code through this holder (commander actions cannot return one). */
export interface CommandResult {
  /** Exit code the CLI ends with, always a value of the one table (`ExitCode` in errors.ts). @default ExitCode.OK */
  exitCode: ExitCodeValue;
}
