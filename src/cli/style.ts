import type { Context } from '../context.js';
import { terminalCode } from '../terminal-text.js';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;

/**
 * Colours text when the context allows colour (TTY and no NO_COLOR), else returns it unchanged.
 * The codes are marked as mesh-exp's own (terminalCode): the context's streams make every other
 * control character visible, including any in `text`.
 */
export function paint(ctx: Pick<Context, 'color'>, style: keyof typeof CODES, text: string): string {
  return ctx.color ? `${terminalCode(`\u001b[${CODES[style]}m`)}${text}${terminalCode('\u001b[0m')}` : text;
}
