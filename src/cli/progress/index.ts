/**
 * The live progress view of `mesh-exp run`, on stderr: redrawn in place on a terminal, plain
 * rate-limited lines in CI. While it is active, print through `event()` rather than the logger,
 * so lines land above the block instead of through it.
 */
import type { Context } from '../../context.js';
import { createPlainProgressView } from './plain-view.js';
import { createTtyProgressView } from './tty-view.js';
import type { ProgressSink } from '../../model/progress.js';
import type { ProgressViewOptions, StoppableView } from './types.js';

export type { ProgressViewOptions } from './types.js';

/**
 * Creates the progress view for the context's stderr. It stops by itself when the context's signal
 * aborts, before `main()` prints its notice: nothing of the interrupted step is drawn after it.
 */
export function createProgressView(ctx: Context, options: ProgressViewOptions = {}): ProgressSink {
  const view = createView(ctx, options);
  const stop = () => view.stop();
  if (ctx.signal.aborted) view.stop();
  else ctx.signal.addEventListener('abort', stop, { once: true });
  return {
    update: (progress) => view.update(progress),
    event: (message) => view.event(message),
    done: () => {
      ctx.signal.removeEventListener('abort', stop);
      view.done();
    },
  };
}

function createView(ctx: Context, options: ProgressViewOptions): StoppableView {
  const interactive = options.interactive ?? (Boolean(ctx.stderr.isTTY) && ctx.env['TERM'] !== 'dumb');
  if (!interactive) {
    return createPlainProgressView({ out: ctx.stderr, clock: ctx.clock, lineIntervalMs: options.lineIntervalMs ?? 5000 });
  }
  // NO_COLOR wins even over an explicit colour option (https://no-color.org).
  const color = !ctx.env['NO_COLOR'] && (options.color ?? ctx.color);
  return createTtyProgressView({ out: ctx.stderr, clock: ctx.clock, color, redrawIntervalMs: options.redrawIntervalMs ?? 250 });
}
