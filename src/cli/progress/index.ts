/**
 * The live progress view of `mesh-exp run`, on stderr: redrawn in place on a terminal, plain
 * rate-limited lines in CI. While it is active, print through `event()` rather than the logger,
 * so lines land above the block instead of through it.
 */
import type { Context } from '../../context.js';
import { createPlainProgressView } from './plain-view.js';
import { createTtyProgressView } from './tty-view.js';
import type { ProgressSink } from '../../model/progress.js';
import type { ProgressViewOptions } from './types.js';

export type { ProgressViewOptions } from './types.js';

/** Creates the progress view for the context's stderr. */
export function createProgressView(ctx: Context, options: ProgressViewOptions = {}): ProgressSink {
  const interactive = options.interactive ?? (Boolean(ctx.stderr.isTTY) && ctx.env['TERM'] !== 'dumb');
  if (!interactive) {
    return createPlainProgressView({ out: ctx.stderr, clock: ctx.clock, lineIntervalMs: options.lineIntervalMs ?? 5000 });
  }
  // NO_COLOR wins even over an explicit colour option (https://no-color.org).
  const color = !ctx.env['NO_COLOR'] && (options.color ?? ctx.color);
  return createTtyProgressView({ out: ctx.stderr, clock: ctx.clock, color, redrawIntervalMs: options.redrawIntervalMs ?? 250 });
}
