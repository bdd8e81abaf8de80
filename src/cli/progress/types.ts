/**
 * Options of the live progress view the `run` command shows on stderr while a step runs; the view
 * itself is the runner's ProgressSink (src/model/progress.ts).
 */

import type { ProgressSink } from '../../model/progress.js';

/** A view that can also be stopped short (on an abort), drawing nothing more of its own. */
export interface StoppableView extends ProgressSink {
  /** Stops at once: the terminal view erases its block, the log view drops what it held back; events still print. */
  stop(): void;
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
