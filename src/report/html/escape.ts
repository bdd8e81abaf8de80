/**
 * HTML escaping. Every string that came from the user or the run (experiment name, check names,
 * messages, labels, environment, the experiment itself) goes through {@link escapeHtml} before
 * it reaches the page; markup is only ever built from literals in this folder.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for use in HTML element content and in quoted attribute values: `& < > " ' \``
 * become entities. Non-strings are converted with String() first (null/undefined → "").
 */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

// A symbol brand: data parsed from JSON or YAML can never carry it, so user data cannot pose as markup.
const SAFE: unique symbol = Symbol('safe-html');

/** A fragment of HTML that is already safe (built from literals and escaped values by {@link html}). */
export interface SafeHtml {
  /** Brand set only by {@link html} and {@link trustedHtml}. */
  readonly [SAFE]: true;
  /** The markup. */
  readonly html: string;
}

/** Marks literal markup (never user data) as safe, e.g. a fixed `<br>`. */
export function trustedHtml(markup: string): SafeHtml {
  return { [SAFE]: true, html: markup };
}

/**
 * Tagged template that escapes every interpolated value unless it is {@link SafeHtml} (or an
 * array of them), so markup can be written inline without forgetting an escape.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return trustedHtml(out);
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join('');
  if (isSafe(value)) return value.html;
  return escapeHtml(value);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === 'object' && value !== null && (value as Partial<SafeHtml>)[SAFE] === true;
}
