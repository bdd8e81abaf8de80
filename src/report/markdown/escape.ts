/**
 * Escaping for GitHub-flavoured Markdown (job summaries, PR comments): user strings must render
 * as the text they are: no emphasis, links, images, raw HTML, table breaks or @mentions.
 * (GitHub still autolinks bare URLs in text; that shows the URL as written, so it is left alone.)
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '@': '&#64;' };

/**
 * Escapes text for Markdown inline content and table cells: backslash-escapes the characters
 * that start inline markup (`\ ` * _ [ ] ~ | #`; images and links need `[`), writes `& < > @` as
 * entities (no raw HTML, no @mentions), and turns newlines into spaces so a value stays on its line.
 */
export function escapeMarkdown(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]~|#]/g, (c) => `\\${c}`)
    .replace(/[&<>@]/g, (c) => ENTITIES[c]!);
}
