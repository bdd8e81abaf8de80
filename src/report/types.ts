/**
 * The report extension point: one interface, a registry keyed by name (registry.ts), one file
 * per format.
 */
import type { RunResult } from '../runner/result.js';

/** Writes one report file of a run. */
export interface Reporter {
  /** Registry name, e.g. "html"; what `--report <names>` selects. */
  readonly name: string;
  /** Writes the report into `dir` (which exists) and resolves to the path of the file written. */
  write(result: RunResult, dir: string): Promise<string>;
}
