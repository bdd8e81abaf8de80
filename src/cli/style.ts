import type { Context } from '../context.js';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/** Colours text when the context allows colour (TTY and no NO_COLOR), else returns it unchanged. */
export function paint(ctx: Pick<Context, 'color'>, style: keyof typeof CODES, text: string): string {
  return ctx.color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}
