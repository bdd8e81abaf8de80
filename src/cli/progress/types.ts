/**
 * Contracts of the live progress view the `run` command shows on stderr while a step runs.
 */

/** Figures of one version so far in the current step. */
export interface ProgressVersion {
  /** Version (subset) name, "unknown" or "all". */
  version: string;
  /** Requests counted so far in the step. */
  count: number;
  /** Failed share of them (0–1), or null when count is 0. */
  errorRate: number | null;
  /** 99th percentile latency so far, ms, or null when none was recorded. */
  p99: number | null;
}

/** Where the run is now. */
export interface ProgressSnapshot {
  /** 0-based index of the running step. */
  stepIndex: number;
  /** Steps in the experiment. */
  stepCount: number;
  /** Human label of the step, e.g. "canary 25%". */
  label: string;
  /** Time spent in this step so far, ms. */
  elapsedMs: number;
  /** Planned length of the step, ms. */
  stepDurationMs: number;
  /** Achieved request rate, requests per second. */
  rate: number;
  /** Per-version figures, in display order. */
  perVersion: ProgressVersion[];
}

/** The live view. Calls after {@link ProgressView.done} are ignored. */
export interface ProgressView {
  /** Shows the latest snapshot (rate-limited: frequent calls are cheap and most are not drawn). */
  update(snapshot: ProgressSnapshot): void;
  /** Prints one line about something that happened (traffic changed, checks judged), always shown. */
  event(message: string): void;
  /** Draws the last snapshot if it was held back and stops; later output goes below the view. */
  done(): void;
}

/** Options of `createProgressView`. */
export interface ProgressViewOptions {
  /**
   * Redraw in place (a terminal is watching) or print plain lines (CI logs).
   * @default ctx.stderr.isTTY, unless TERM is "dumb"
   */
  interactive?: boolean;
  /**
   * Whether the interactive view may colour its output.
   * @default ctx.color, and never when NO_COLOR is set
   */
  color?: boolean;
  /** Least time between two redraws of the interactive view, ms (about 4 per second). @default 250 */
  redrawIntervalMs?: number;
  /** Least time between two progress lines of the plain view, ms (a new step always prints). @default 5000 */
  lineIntervalMs?: number;
}
