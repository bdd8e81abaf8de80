/**
 * The report extension point: one interface, a registry keyed by name (registry.ts), one file
 * per format.
 */
import type { RunResult } from '../model/result.js';

/** What a report may show besides the run itself. */
export interface ReportOptions {
  /**
   * A previous run of the experiment, shown side by side (`mesh-exp report --compare`): per SLO
   * check this run's value against the previous one, per step and version p50/p99/error rate.
   * @default none (no comparison)
   */
  previous?: RunResult;
}

/** Writes one report file of a run. */
export interface Reporter {
  /** Registry name, e.g. "html"; what `--report <names>` selects. */
  readonly name: string;
  /**
   * Writes the report into `dir` (which exists) and resolves to the path of the file written.
   * Formats without a comparison view ignore `options.previous`.
   */
  write(result: RunResult, dir: string, options?: ReportOptions): Promise<string>;
}
