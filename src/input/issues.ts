/**
 * Rewrites zod issues as located problems in plain words: zod's "Invalid input: expected number,
 * received string" becomes `expected a number, got the string "ten"`, unknown keys point at the
 * key with a did-you-mean, missing keys point at the map they belong in.
 */
import type { z } from 'zod';
import { MAX_PROBLEMS, moreProblems, type Problem } from '../errors.js';
import { closest, didYouMean, suggestionHint } from './did-you-mean.js';
import { formatPath, positionOf, type Locatable, type PointAt } from './locate.js';
import { allowedKeysAt, dataAt, descriptionAt, schemaAt, unwrap, type AnySchema } from './schema-walk.js';

/** Where the issues come from: the parsed document, its data and the schema it was checked with. */
export interface IssueSource extends Locatable {
  /** File name for problems. */
  file: string;
  /** The data that was validated. */
  data: unknown;
  /** The schema it was validated with (walked for allowed keys and descriptions). */
  schema: AnySchema;
}

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'a map (key: value lines)',
  record: 'a map (key: value lines)',
  map: 'a map (key: value lines)',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

/** Describes a value for "got …": `the string "ten"`, `the number 5`, `a list`, `a map`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'string') return `the string ${quote(v)}`;
  if (typeof v === 'number' || typeof v === 'bigint') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'object') return 'a map';
  return typeof v;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

function isScalar(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `add "name:" under metadata. Name of the experiment; …` from the field's description. */
function missingHint(src: IssueSource, path: PropertyKey[]): string {
  const desc = descriptionAt(src.schema, path, src.data);
  const parent = path.length > 1 ? `under ${formatPath(path.slice(0, -1))}` : 'at the top level';
  return `add "${String(path.at(-1))}:" ${parent}${desc ? `. ${desc}` : ''}`;
}

/**
 * A number or boolean where text is expected (`max: 1`, `interval: 10`): YAML read it as a
 * number. If the text form would pass, say "quote it"; else report what the text form lacks
 * (e.g. the % sign or a unit), which is the real mistake.
 */
function unquotedScalar(src: IssueSource, path: PropertyKey[], input: unknown): Draft | undefined {
  const field = schemaAt(src.schema, path, src.data);
  const text = String(input);
  const retry = field ? unwrap(field)['~standard'].validate(text) : undefined;
  if (!retry || retry instanceof Promise) return undefined;
  if (!retry.issues) return { path, message: `expected a string, got ${describeValue(input)}`, hint: `put it in quotes: "${text}"` };
  const first = retry.issues[0];
  return first ? { path, message: `${first.message}, got ${describeValue(input)}` } : undefined;
}

interface Draft {
  path: PropertyKey[];
  message: string;
  hint?: string;
  pointAt?: PointAt;
  /** For an unknown key: the one allowed key it is a likely typo of. */
  typoOf?: string;
}

const h = (hint: string | undefined) => (hint ? { hint } : {});

function typeDraft(issue: Extract<Issue, { code: 'invalid_type' }>, src: IssueSource, path: PropertyKey[], input: unknown): Draft {
  if (input === undefined) return { path, message: 'required field is missing', hint: missingHint(src, path) };
  if (issue.expected === 'string' && isScalar(input) && input !== null) {
    const asText = unquotedScalar(src, path, input);
    if (asText) return asText;
  }
  let hint: string | undefined;
  if (issue.expected === 'array') hint = 'write a list: [a, b] on one line, or one "- item" per line';
  if (issue.expected === 'object') {
    const keys = allowedKeysAt(src.schema, path, src.data);
    if (keys.length > 0) hint = `fields: ${keys.join(', ')}`;
  }
  return { path, message: `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(input)}`, ...h(hint) };
}

function boundDraft(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>, path: PropertyKey[], input: unknown): Draft {
  const small = issue.code === 'too_small';
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const count = Array.isArray(input) ? input.length : 0;
    return { path, message: `needs ${small ? 'at least' : 'at most'} ${plural(limit, 'entry', 'entries')}, got ${count}` };
  }
  if (issue.origin === 'string') {
    if (small && limit === 1) return { path, message: 'must not be empty' };
    return { path, message: `must be ${small ? 'at least' : 'at most'} ${plural(limit, 'character')} long` };
  }
  const bound = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return { path, message: `must be ${bound} ${limit}, got ${isScalar(input) ? String(input) : describeValue(input)}` };
}

function unionDraft(issue: Extract<Issue, { code: 'invalid_union' }>, path: PropertyKey[], input: unknown): Draft {
  const options = 'options' in issue && issue.options ? issue.options.map(String) : undefined;
  if (issue.discriminator === undefined || options === undefined) {
    return { path, message: `does not match any allowed form (got ${describeValue(input)})` };
  }
  if (input === undefined) return { path, message: 'required field is missing', hint: `one of: ${options.join(', ')}` };
  const list = options.map((o) => JSON.stringify(o)).join(', ');
  return { path, message: `expected one of ${list}, got ${describeValue(input)}`, ...h(typeof input === 'string' ? didYouMean(input, options) : undefined) };
}

/** Drafts for one issue (an unknown-keys issue yields one per key). */
function draft(issue: Issue, src: IssueSource): Draft[] {
  const path = [...issue.path];
  const input = dataAt(src.data, path);
  const got = describeValue(input);
  switch (issue.code) {
    case 'invalid_type':
      return [typeDraft(issue, src, path, input)];
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      const words = issue.values.filter((v): v is string => typeof v === 'string');
      // The message lists the allowed values already; the hint only adds a likely correction.
      return [{ path, message: `expected ${expected}, got ${got}`, ...h(typeof input === 'string' ? didYouMean(input, words) : undefined) }];
    }
    case 'invalid_union':
      return [unionDraft(issue, path, input)];
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(src.schema, path, src.data);
      return issue.keys.map((key) => {
        const typoOf = closest(key, allowed);
        return { path: [...path, key], message: `unknown field "${key}"`, pointAt: 'key' as const, ...h(suggestionHint(key, allowed, 'allowed fields')), ...(typoOf ? { typoOf } : {}) };
      });
    }
    case 'too_small':
    case 'too_big':
      return [boundDraft(issue, path, input)];
    case 'invalid_format': {
      let message = issue.message;
      if (issue.format === 'url') message = 'expected a URL such as "http://127.0.0.1:8080/"';
      else if (issue.format === 'starts_with') message = `must start with "${(issue as { prefix?: string }).prefix ?? ''}"`;
      else if (/^Invalid /.test(message)) message = `expected a valid ${issue.format}`;
      return [{ path, message: `${message}, got ${got}` }];
    }
    case 'not_multiple_of':
      return [{ path, message: `must be a multiple of ${String(issue.divisor)}, got ${got}` }];
    case 'invalid_key': {
      // A map key the key schema refused (e.g. a header name): its own message, pointing at the key.
      const inner = issue.issues[0]?.message ?? 'not allowed as a key';
      return [{ path, message: `${inner}, got ${JSON.stringify(String(path.at(-1)))}`, pointAt: 'key' as const }];
    }
    case 'custom':
      return [{ path, message: isScalar(input) && input !== null ? `${issue.message}, got ${JSON.stringify(input)}` : issue.message }];
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * Converts zod issues into located problems. A "required field is missing" issue is dropped when
 * an unknown key next to it is the likely misspelling of it (one mistake, one message). At most
 * MAX_PROBLEMS are listed; one last entry counts the rest.
 */
export function problemsFromIssues(issues: readonly Issue[], src: IssueSource): Problem[] {
  const drafts = issues.flatMap((i) => draft(i, src));
  const explained = new Set(drafts.flatMap((d) => (d.typoOf ? [formatPath([...d.path.slice(0, -1), d.typoOf])] : [])));
  const kept = drafts.filter((d) => !(d.message === 'required field is missing' && explained.has(formatPath(d.path))));
  // Locating a problem walks the document, so only the listed ones are located: the work stays
  // linear in the file's size however many problems it has.
  const at = (d: Draft) => ({ file: src.file, ...positionOf(src, d.path, d.pointAt ?? 'value') });
  const listed = kept.slice(0, MAX_PROBLEMS).map((d): Problem => ({ ...at(d), path: formatPath(d.path), message: d.message, ...(d.hint ? { hint: d.hint } : {}) }));
  return kept.length <= MAX_PROBLEMS ? listed : [...listed, moreProblems(kept.length - MAX_PROBLEMS, 'problem', at(kept[MAX_PROBLEMS]!))];
}
