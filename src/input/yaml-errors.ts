/**
 * Turns the `yaml` package's errors into plain-worded, located problems. Codes are yaml's
 * (`ErrorCode`): the ones users hit most get their own wording and a hint.
 */
import type { Document, LineCounter, YAMLError } from 'yaml';
import type { Problem } from '../errors.js';
import { formatPath, keyPathAt } from './locate.js';

/** Hints for yaml errors: the first rule whose code (and message pattern, if any) fits wins. */
const HINTS: { code: string; pattern?: RegExp; hint: string }[] = [
  { code: 'BAD_INDENT', pattern: /end with a \]/, hint: 'a "[" list opened above is not closed with "]"' },
  { code: 'BAD_INDENT', pattern: /end with a \}/, hint: 'a "{" map opened above is not closed with "}"' },
  { code: 'BAD_INDENT', hint: 'check the indentation: items of one map or list start at the same column' },
  { code: 'MISSING_CHAR', pattern: /quote/, hint: 'close the quote that was opened' },
  { code: 'MISSING_CHAR', pattern: /sequence item/, hint: 'check the indentation of the "- " items' },
  { code: 'BLOCK_AS_IMPLICIT_KEY', hint: 'put a nested map on its own indented lines, or quote a value that contains ": "' },
  { code: 'MULTILINE_IMPLICIT_KEY', hint: 'a key must fit on one line; quote values that contain ": "' },
  { code: 'UNEXPECTED_TOKEN', hint: 'check for a stray character, or quote the value' },
  { code: 'BAD_DQ_ESCAPE', hint: 'inside double quotes, write a backslash as \\\\' },
  { code: 'TAG_RESOLVE_FAILED', hint: 'remove the !tag; mesh-exp files use plain YAML' },
];

/**
 * The errors worth showing. One YAML mistake often makes the parser report several follow-up
 * errors that only confuse, so: every duplicate key (each is its own mistake), and of the rest
 * only the first, or, when that is a tab, every tab line (and nothing caused by them).
 */
export function significantErrors<E extends YAMLError>(errors: readonly E[]): E[] {
  const duplicates = errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const rest = errors.filter((e) => e.code !== 'DUPLICATE_KEY').sort((a, b) => a.pos[0] - b.pos[0]);
  const first = rest[0];
  const kept = !first ? [] : first.code === 'TAB_AS_INDENT' ? rest.filter((e) => e.code === 'TAB_AS_INDENT') : [first];
  return [...duplicates, ...kept].sort((a, b) => a.pos[0] - b.pos[0]);
}

function plain(message: string): string {
  const m = message.replace(/\.$/, '').replace(/ at line \d+, column \d+.*$/s, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

/** A yaml error or warning as a problem (without `file`, which the caller knows). */
export function describeYamlError(
  err: YAMLError,
  doc: Document.Parsed,
  lineCounter: LineCounter,
): Omit<Problem, 'file'> {
  const offset = err.pos[0];
  const { line, col } = lineCounter.linePos(offset);
  const at = { line, col };
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return {
        ...at,
        path: '',
        message: 'a tab is used for indentation; YAML allows only spaces',
        hint: 'replace the tab with spaces (most editors have a "convert indentation to spaces" command)',
      };
    case 'DUPLICATE_KEY': {
      const found = keyPathAt(doc, offset);
      const first = found?.firstOffset === undefined ? undefined : lineCounter.linePos(found.firstOffset).line;
      return {
        ...at,
        path: found ? formatPath(found.path) : '',
        message: found ? `duplicate key "${found.key}"` : 'duplicate key',
        hint: first === undefined ? 'remove one of them' : `it is already set on line ${first}; remove one of them`,
      };
    }
    case 'NON_STRING_KEY':
      return {
        ...at,
        path: '',
        message: 'a key is a map or a list; keys must be plain text',
        hint: 'a line starting with "? " or a key in [ ] or { } makes one: write the key as plain text, or quote it',
      };
    default: {
      const hint = HINTS.find((h) => h.code === err.code && (!h.pattern || h.pattern.test(err.message)))?.hint;
      return { ...at, path: '', message: `YAML syntax error: ${plain(err.message)}`, ...(hint ? { hint } : {}) };
    }
  }
}
