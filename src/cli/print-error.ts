import type { Context } from '../context.js';
import { MeshExpError, ValidationError, formatProblem } from '../errors.js';
import { paint } from './style.js';

/**
 * Prints an error the way every command does: user mistakes as message + hint (no stack);
 * anything unexpected as an internal error with its stack, since that is a bug to report.
 */
export function printError(ctx: Context, err: unknown): void {
  const red = (s: string) => paint(ctx, 'red', s);
  if (err instanceof ValidationError) {
    for (const p of err.problems) ctx.stderr.write(`${formatProblem(p)}\n`);
    ctx.stderr.write(`${red('error:')} ${err.message}\n`);
    if (err.hint) ctx.stderr.write(`hint: ${err.hint}\n`);
    return;
  }
  if (err instanceof MeshExpError) {
    ctx.stderr.write(`${red('error:')} ${err.message}\n`);
    if (err.hint) ctx.stderr.write(`hint: ${err.hint}\n`);
    if (err.cause instanceof Error) ctx.logger.debug(`cause: ${err.cause.stack ?? err.cause.message}`);
    return;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  ctx.stderr.write(`${red('internal error:')} ${e.message}\n${e.stack ?? ''}\n`);
  ctx.stderr.write('This is a bug in mesh-exp; please report it with the lines above.\n');
}
