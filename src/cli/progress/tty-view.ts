/**
 * The interactive view: a compact block redrawn in place (cursor up, clear) at most a few times
 * per second; event lines print above it.
 */
import type { Clock, OutputStream } from '../../context.js';
import { paint } from '../style.js';
import { fitLine, renderBlock, sanitize, type Line } from './render.js';
import type { RunProgress } from '../../model/progress.js';
import { terminalCode } from '../../terminal-text.js';
import type { StoppableView } from './types.js';

/** Options of {@link createTtyProgressView}. */
export interface TtyProgressViewOptions {
  /** Terminal to draw on. */
  out: OutputStream;
  /** Time source for rate limiting (monotonic). */
  clock: Clock;
  /** Whether to colour. */
  color: boolean;
  /** Least time between two redraws, ms. */
  redrawIntervalMs: number;
}

// The view's own cursor codes, marked so the stream lets them through (terminal-text.ts).
const ESC = '\u001b[';
const CLEAR_LINE = terminalCode(`${ESC}2K`);
const CLEAR_BELOW = terminalCode(`${ESC}J`);
const CR = terminalCode('\r');
const up = (n: number) => (n > 0 ? terminalCode(`${ESC}${n}A`) : '');

/** Creates the in-place view. */
export function createTtyProgressView(options: TtyProgressViewOptions): StoppableView {
  const { out, clock, redrawIntervalMs } = options;
  const colorCtx = { color: options.color };
  let drawnLines = 0;
  let lastDrawAt = -Infinity;
  let lastStep = -1;
  let latest: RunProgress | undefined;
  let pending = false;
  let finished = false;

  const paintLine = (line: Line) =>
    fitLine(line, out.columns ? out.columns - 1 : undefined)
      .map((seg) => (seg.style ? paint(colorCtx, seg.style, seg.text) : seg.text))
      .join('');

  // Moves to the top of the block and clears it; the cursor ends where the block began.
  const erase = () => {
    if (drawnLines > 0) out.write(`${CR}${up(drawnLines)}${CLEAR_BELOW}`);
    drawnLines = 0;
  };

  const draw = () => {
    if (!latest) return;
    const lines = renderBlock(latest);
    erase();
    out.write(lines.map((l) => `${CLEAR_LINE}${paintLine(l)}\n`).join(''));
    drawnLines = lines.length;
    lastDrawAt = clock.monotonic();
    lastStep = latest.stepIndex;
    pending = false;
  };

  return {
    update(snapshot) {
      if (finished) return;
      latest = snapshot;
      // A new step draws at once; otherwise at most one redraw per interval (the rest wait). The
      // 10% slack keeps a caller updating on a timer of the same interval from being held back
      // every other time by timer jitter.
      if (snapshot.stepIndex !== lastStep || clock.monotonic() - lastDrawAt >= redrawIntervalMs * 0.9) draw();
      else pending = true;
    },
    event(message) {
      if (finished) {
        out.write(`${sanitize(message)}\n`);
        return;
      }
      erase();
      out.write(`${CLEAR_LINE}${sanitize(message)}\n`);
      draw();
    },
    done() {
      if (finished) return;
      if (pending) draw();
      finished = true;
    },
    stop() {
      // The figures of an interrupted step are stale: take the block away, so the notice and the
      // restore's lines print where it was and nothing is drawn after them.
      if (finished) return;
      erase();
      finished = true;
    },
  };
}
