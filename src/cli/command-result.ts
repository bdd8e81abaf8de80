/** Commands report their exit code through this holder (commander actions cannot return one). */
export interface CommandResult {
  /** Exit code the CLI ends with. @default 0 */
  exitCode: number;
}
