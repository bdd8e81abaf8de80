/**
 * A small reader of PromQL vector selectors (`metric{label="v", other=~"re"}`), enough to take a
 * query apart for the no-data diagnosis. It does not parse PromQL: it finds selectors, skipping
 * string literals, and splits their matchers respecting quotes and escapes.
 */

/** One label matcher as written. */
export interface LabelMatcher {
  /** Label name. */
  label: string;
  /** `=`, `!=`, `=~` or `!~`. */
  op: '=' | '!=' | '=~' | '!~';
  /** The value literal as written, quotes included (so it can be put back verbatim). */
  literal: string;
}

/** A vector selector. */
export interface VectorSelector {
  /** Metric name. */
  metric: string;
  /** Its matchers, in order. */
  matchers: LabelMatcher[];
}

// Words that may stand before `{` or `(` in PromQL and are not metric names.
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** Index just past the string literal starting at `i` (quote char at `i`). */
function skipString(s: string, i: number): number {
  const q = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== q) j += q !== '`' && s[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Splits `a="x", b=~"y,z"` into matchers; undefined when it does not read as matchers. */
export function parseMatchers(body: string): LabelMatcher[] | undefined {
  const out: LabelMatcher[] = [];
  let i = 0;
  const ws = () => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  for (;;) {
    ws();
    if (i >= body.length) return out;
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(body.slice(i))?.[0];
    if (!name) return undefined;
    i += name.length;
    ws();
    const op = (['=~', '!~', '!=', '='] as const).find((o) => body.startsWith(o, i));
    if (!op) return undefined;
    i += op.length;
    ws();
    if (!['"', "'", '`'].includes(body[i] ?? '')) return undefined;
    const end = skipString(body, i);
    out.push({ label: name, op, literal: body.slice(i, end) });
    i = end;
    ws();
    if (body[i] === ',') i++;
    else if (i < body.length) return undefined;
  }
}

/** Every `metric{…}` selector of a query, in order (selectors without braces are ignored). */
export function findSelectors(query: string): VectorSelector[] {
  const out: VectorSelector[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(query, i);
      continue;
    }
    const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(query.slice(i));
    if (m && (i === 0 || !/[a-zA-Z0-9_:]/.test(query[i - 1]!))) {
      let j = i + m[0].length;
      while (/\s/.test(query[j] ?? '')) j++;
      if (query[j] === '{' && !KEYWORDS.has(m[0])) {
        let k = j + 1;
        while (k < query.length && query[k] !== '}') k = ['"', "'", '`'].includes(query[k]!) ? skipString(query, k) : k + 1;
        const matchers = parseMatchers(query.slice(j + 1, k));
        if (matchers) out.push({ metric: m[0], matchers });
        i = k + 1;
        continue;
      }
      i += m[0].length;
      continue;
    }
    i++;
  }
  return out;
}

/** Writes a selector back as PromQL. */
export function formatSelector(metric: string, matchers: readonly LabelMatcher[]): string {
  return `${metric}{${matchers.map(formatMatcher).join(',')}}`;
}

/** `label=~"value"`. */
export function formatMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}${m.literal}`;
}
