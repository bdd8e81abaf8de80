/**
 * `{{ field }}` placeholders in a request's path, header values and body, filled from a row of
 * `load.data`. A template is split once into literal text and field references, so filling it for
 * every request is a join, not a search.
 */

/** `{{ name }}`: a field name of letters, digits, "_", "-" and ".", spaces around it allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** The source of the placeholder pattern (group 1: the field name), for code filling templates elsewhere (the k6 script). */
export const PLACEHOLDER_SOURCE = PLACEHOLDER.source;

/** A template split into parts: literal text at even indexes, field names at odd ones. */
export interface Template {
  /** Literal, field, literal, field, ..., literal. */
  readonly parts: readonly string[];
  /** The field names used, in order of first use. */
  readonly fields: readonly string[];
}

/** Splits `text` into a {@link Template}. */
export function parseTemplate(text: string): Template {
  const parts: string[] = [];
  const fields: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), m[1]!);
    if (!fields.includes(m[1]!)) fields.push(m[1]!);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, fields };
}

/** The field names `text` uses, in order of first use. */
export function placeholderFields(text: string): readonly string[] {
  return parseTemplate(text).fields;
}

/** `text` with every placeholder replaced by `replacement` (to check the literal rest of a template). */
export function withoutPlaceholders(text: string, replacement: string): string {
  return text.replace(PLACEHOLDER, replacement);
}

/**
 * Fills `template` with `valueOf(field)`. A field `valueOf` does not know (undefined) is left as
 * written; validation makes sure none is.
 */
export function fillTemplate(template: Template, valueOf: (field: string) => string | undefined): string {
  const { parts } = template;
  if (parts.length === 1) return parts[0]!;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const field = parts[i]!;
    out += (valueOf(field) ?? `{{ ${field} }}`) + parts[i + 1]!;
  }
  return out;
}
