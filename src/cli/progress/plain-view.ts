/**
 * The log view for CI and pipes: plain lines, no escape codes at all; progress lines are
 * rate-limited, event lines always print, each after the progress line it follows in time.
 */
import type { Clock, OutputStream } from '../../context.js';
import { renderPlainLine, sanitize } from './render.js';
import type { RunProgress } from '../../model/progress.js';
import type { StoppableView } from './types.js';

/** Options of {@link createPlainProgressView}. */
export interface PlainProgressViewOptions {
  /** Stream to write lines to. */
  out: OutputStream;
  /** Time source for rate limiting (monotonic). */
  clock: Clock;
  /** Least time between two progress lines, ms (a new step always prints). */
  lineIntervalMs: number;
}

/** Creates the line-by-line view. */
export function createPlainProgressView(options: PlainProgressViewOptions): StoppableView {
  const { out, clock, lineIntervalMs } = options;
  let lastLineAt = -Infinity;
  let lastStep = -1;
  let held: RunProgress | undefined;
  let finished = false;

  const print = (snapshot: RunProgress) => {
    out.write(`${renderPlainLine(snapshot)}\n`);
    lastLineAt = clock.monotonic();
    lastStep = snapshot.stepIndex;
    held = undefined;
  };

  return {
    update(snapshot) {
      if (finished) return;
      if (snapshot.stepIndex !== lastStep || clock.monotonic() - lastLineAt >= lineIntervalMs) print(snapshot);
      else held = snapshot;
    },
    event(message) {
      // A held-back snapshot is older than the event: print it first, or a step's last figures
      // would land after the line judging that step (and the run's last ones after the verdict).
      if (held) print(held);
      out.write(`${sanitize(message)}\n`);
    },
    done() {
      if (finished) return;
      // The last figures of the run are worth a line even inside the interval.
      if (held) print(held);
      finished = true;
    },
    stop() {
      // Interrupted: a held-back line is stale (and would land after the notice); drop it.
      held = undefined;
      finished = true;
    },
  };
}
