/**
 * Istio `StringMatch` compiled once per configuration into a plain predicate: exact, prefix (plain
 * string prefix, as Envoy's `prefix`) or regex (RE2, whole value). `ignoreCase` applies to exact and
 * prefix only — Istio's `ignoreUriCase` leaves regex matches case-sensitive.
 */
import type { StringMatch } from '../../istio/types.js';
import type { Diagnostics } from './diagnostics.js';
import { compileRe2 } from '../../istio/re2.js';

/** A compiled string condition. */
export type StringPredicate = (value: string) => boolean;

/** Options for {@link compileStringMatch}. */
export interface StringMatchOptions {
  /** Case-insensitive exact/prefix comparison (Istio `ignoreUriCase`). @default false */
  ignoreCase?: boolean;
  /** Allow `{}` (no key), which callers treat as "present". @default false */
  allowEmpty?: boolean;
  /** Kinds accepted; others are errors (queryParams take exact and regex only). @default all three */
  kinds?: ReadonlyArray<'exact' | 'prefix' | 'regex'>;
}

const ALL_KINDS = ['exact', 'prefix', 'regex'] as const;

/** Always true: what `{}` compiles to. */
export const matchAny: StringPredicate = () => true;

/**
 * Compiles `m` found at `path`; records problems in `diag` and returns a never-matching predicate
 * for invalid input (the whole configuration is refused anyway when there is any error).
 */
export function compileStringMatch(
  m: StringMatch | undefined | null,
  path: string,
  diag: Diagnostics,
  options: StringMatchOptions = {},
): StringPredicate {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) {
    diag.error(path, 'expected a string match object with one of exact, prefix, regex');
    return never;
  }
  const kinds = options.kinds ?? ALL_KINDS;
  const keys = Object.keys(m).filter((k) => (m as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) {
    if (options.allowEmpty) return matchAny;
    diag.error(path, 'a string match needs one of exact, prefix, regex');
    return never;
  }
  if (keys.length > 1) {
    diag.error(path, `a string match takes exactly one of exact, prefix, regex (got ${keys.join(', ')})`);
    return never;
  }
  const kind = keys[0]!;
  const value = (m as Record<string, unknown>)[kind];
  if (!(ALL_KINDS as readonly string[]).includes(kind)) {
    diag.error(`${path}.${kind}`, `unknown string match kind "${kind}"`, 'use exact, prefix or regex');
    return never;
  }
  if (!kinds.includes(kind as 'exact')) {
    diag.error(`${path}.${kind}`, `${kind} is not supported here (only ${kinds.join(' and ')})`,
      kind === 'prefix' ? 'Istio does not support prefix for queryParams; use regex: "^value.*"' : undefined);
    return never;
  }
  if (typeof value !== 'string') {
    diag.error(`${path}.${kind}`, `expected a string, got ${typeof value}`);
    return never;
  }
  const ignoreCase = options.ignoreCase === true;
  if (kind === 'exact') {
    if (!ignoreCase) return (v) => v === value;
    const lower = value.toLowerCase();
    return (v) => v.length === lower.length && v.toLowerCase() === lower;
  }
  if (kind === 'prefix') {
    if (!ignoreCase) return (v) => v.startsWith(value);
    const lower = value.toLowerCase();
    return (v) => v.length >= lower.length && v.slice(0, lower.length).toLowerCase() === lower;
  }
  const compiled = compileRe2(value);
  if (!compiled.ok) {
    diag.error(`${path}.regex`, `${compiled.error} in ${JSON.stringify(value)}`, 'Istio uses RE2 syntax: https://github.com/google/re2/wiki/Syntax');
    return never;
  }
  const re = compiled.regex;
  return (v) => re.test(v);
}

const never: StringPredicate = () => false;
