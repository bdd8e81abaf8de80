/**
 * RE2 patterns (what Envoy, and therefore Istio, uses) compiled to JavaScript RegExps with RE2's
 * whole-string semantics: Envoy's `safe_regex` must match the entire value, so every pattern is
 * anchored as `^(?:...)$`. Constructs RE2 rejects (backreferences, lookaround, atomic groups) are
 * rejected here too, so a pattern that works locally also passes Istio's validation; RE2 syntax
 * JavaScript lacks is translated where that is exact (`(?P<n>`, leading `(?i)`, `\A`, `\z`,
 * `\Q...\E`, POSIX classes) and refused with a clear message otherwise.
 */

/** Result of compiling: the RegExp, or why the pattern cannot be used. */
export type Re2Result = { ok: true; regex: RegExp } | { ok: false; error: string };

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Options for {@link compileRe2}. */
export interface Re2Options {
  /** Add the `i` flag. @default false */
  ignoreCase?: boolean;
  /** Anchor as a whole-value match (Envoy `safe_regex` matching). False for search-and-replace. @default true */
  anchored?: boolean;
  /** Extra JavaScript flags, e.g. "g" for replacing every occurrence. @default "" */
  flags?: string;
}

/** Compiles an RE2 pattern to a RegExp (anchored as a whole-value match unless told otherwise). */
export function compileRe2(pattern: string, options: Re2Options = {}): Re2Result {
  let flags = (options.ignoreCase ? 'i' : '') + (options.flags ?? '');
  let src = pattern;
  // RE2 allows flags for the whole pattern as a leading group, e.g. "(?i)jason".
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    const f = lead[1]!;
    if (f.includes('U')) return { ok: false, error: 'the ungreedy flag (?U) has no JavaScript equivalent' };
    for (const c of f) if (!flags.includes(c)) flags += c;
    src = src.slice(lead[0].length);
  }
  const translated = translate(src);
  if (!translated.ok) return translated;
  try {
    const source = options.anchored === false ? translated.source : `^(?:${translated.source})$`;
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (err) {
    return { ok: false, error: `invalid regular expression: ${(err as Error).message}` };
  }
}

function translate(src: string): { ok: true; source: string } | { ok: false; error: string } {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return { ok: false, error: 'trailing backslash' };
      if (n >= '1' && n <= '9') return { ok: false, error: 'backreferences (\\1 ...) are not supported by RE2' };
      if (n === 'k' && src[i + 2] === '<') return { ok: false, error: 'named backreferences are not supported by RE2' };
      if (n === 'C') return { ok: false, error: '\\C (any byte) is not supported locally' };
      if (n === 'p' || n === 'P') return { ok: false, error: 'Unicode classes (\\p, \\P) are not supported locally' };
      if (!inClass && n === 'A') {
        out += '^';
        i++;
        continue;
      }
      if (!inClass && n === 'z') {
        out += '$';
        i++;
        continue;
      }
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const literal = src.slice(i + 2, end < 0 ? src.length : end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end > 0) {
          const name = src.slice(i + 2, end);
          const negated = name.startsWith('^');
          const cls = POSIX_CLASSES[negated ? name.slice(1) : name];
          if (cls === undefined) return { ok: false, error: `unknown POSIX class [:${name}:]` };
          if (negated) return { ok: false, error: `negated POSIX class [:${name}:] is not supported locally` };
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A "]" right after "[" or "[^" is a literal in RE2.
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith('=') || rest.startsWith('!')) return { ok: false, error: 'lookahead is not supported by RE2' };
      if (rest.startsWith('<=') || rest.startsWith('<!')) return { ok: false, error: 'lookbehind is not supported by RE2' };
      if (rest.startsWith('>')) return { ok: false, error: 'atomic groups are not supported by RE2' };
      if (/^[imsU-]+[:)]/.test(rest)) return { ok: false, error: 'inline flags are only supported at the start of the pattern locally' };
    }
    out += c;
  }
  if (inClass) return { ok: false, error: 'missing closing ]' };
  return { ok: true, source: out };
}
