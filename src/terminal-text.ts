/**
 * The one rule for text that reaches a terminal. Text from outside mesh-exp (an experiment's names,
 * labels and headers, manifests, backends' output, the cluster's error messages, argv) may hold
 * control characters: escape sequences that clear the screen, set the window title or move the
 * cursor over earlier lines, and bidi overrides that make text read other than it is. The
 * context's streams pass everything they write through {@link toTerminal} (`createContext`), so
 * no printer can forget it; mesh-exp's own colour and cursor codes are marked with
 * {@link terminalCode} and put back after the text is made safe.
 */
import { randomBytes } from 'node:crypto';

// C0 controls except \t and \n, DEL, C1 (U+0080–U+009F), and the bidi embeddings, overrides
// (U+202A–U+202E) and isolates (U+2066–U+2069).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Shows every control and bidi character of `text` as its `\uXXXX` escape (ESC as `\u001b`):
 * visible, so nothing is silently lost, and, inside a JSON string, the same value as the raw
 * character, so JSON written through it (`--output json`) parses to exactly the same data.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Why a random tag: the writer sees one string in which mesh-exp's codes and outside text are
// already joined (`${paint(ctx, 'red', 'error:')} ${message}`). A fixed marker could be typed into
// an experiment; a tag drawn afresh by every process cannot, so only codes marked here come back.
const TAG = `\u{F8FF}${randomBytes(8).toString('hex')}`;
const MARKED = new RegExp(`${TAG}(.*?)${TAG}`, 'gs');
const ESCAPED = /\\u([0-9a-f]{4})/g;

/**
 * Marks one of mesh-exp's own terminal codes (an SGR colour, a cursor move, `\r`) so that
 * {@link toTerminal} writes it as is. Use only for codes mesh-exp itself chose, never for data.
 */
export function terminalCode(code: string): string {
  return `${TAG}${terminalSafe(code)}${TAG}`;
}

/** What a stream writes for `chunk`: every outside control made visible, mesh-exp's own codes restored. */
export function toTerminal(chunk: string): string {
  const safe = terminalSafe(chunk);
  if (!safe.includes(TAG)) return safe;
  return safe.replace(MARKED, (_, code: string) => code.replace(ESCAPED, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}
