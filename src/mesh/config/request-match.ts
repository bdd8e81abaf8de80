/**
 * Istio `HTTPMatchRequest[]` compiled into predicates over a {@link RequestView}. Conditions inside
 * one entry AND together, entries OR; an absent or empty list matches every request. The first
 * matching entry is returned because a uri `prefix` rewrite needs to know which prefix matched.
 */
import type { HTTPMatchRequest, StringMatch } from '../../istio/types.js';
import type { Diagnostics } from './diagnostics.js';
import { compileStringMatch, matchAny, type StringPredicate } from './string-match.js';

/** The parts of a request the matchers read; built once per request by the proxy. */
export interface RequestView {
  /** HTTP method as sent, e.g. "GET". */
  method: string;
  /** Path without the query string, e.g. "/reviews/1". */
  path: string;
  /** Query string without "?" ('' when none). */
  query: string;
  /** Host header as sent (with port, if any). */
  authority: string;
  /** "http" (the local mesh does not terminate TLS). */
  scheme: string;
  /** Port named in the Host header; undefined means the default port 80. */
  port: number | undefined;
  /** Request headers, lowercase keys (Node's `IncomingHttpHeaders`). */
  headers: Record<string, string | string[] | undefined>;
  /** Decoded query parameters, parsed on first use. */
  params?: URLSearchParams;
}

/** One compiled match entry. */
export interface CompiledMatchEntry {
  /** Index in `match[]` (0 for the implicit match-all). */
  index: number;
  /** True when the request satisfies every condition of the entry. */
  test: (v: RequestView) => boolean;
  /** The `uri.prefix` of this entry, when it has one (prefix rewrites replace it). */
  uriPrefix?: string;
  /** Kind of the entry's uri condition, if any (a rewrite replaces the matched prefix or the whole path). */
  uriKind?: 'exact' | 'prefix' | 'regex';
  /**
   * Istio's "catch-all" route: no condition but `uri.prefix: "/"` or `port` (which Istio turns into
   * no Envoy header or query match); merged gateway VirtualServices keep these last. @default absent
   */
  catchAll?: true;
}

/** The implicit entry of a route without `match`. */
export const MATCH_ALL: CompiledMatchEntry = { index: 0, test: () => true, catchAll: true };

/** Reads one header as a single string (repeated headers joined with ","), or undefined. */
export function headerValue(v: RequestView, name: string): string | undefined {
  switch (name) {
    case ':authority':
      return v.authority;
    case ':method':
      return v.method;
    case ':path':
      return v.query ? `${v.path}?${v.query}` : v.path;
    case ':scheme':
      return v.scheme;
    default: {
      const h = v.headers[name];
      return Array.isArray(h) ? h.join(',') : h;
    }
  }
}

function queryParam(v: RequestView, name: string): string | null {
  if (!v.query) return null;
  v.params ??= new URLSearchParams(v.query);
  return v.params.get(name);
}

/**
 * Compiles one match entry found at `path`. Fields that cannot apply locally (sourceLabels,
 * gateways, sourceNamespace) are not evaluated here; `unsupported.ts` reports them as warnings.
 */
export function compileMatchEntry(m: HTTPMatchRequest, index: number, path: string, diag: Diagnostics): CompiledMatchEntry {
  const checks: Array<(v: RequestView) => boolean> = [];
  if (m === null || typeof m !== 'object') {
    diag.error(path, 'a match entry must be an object');
    return { index, test: () => false };
  }
  if (m.uri !== undefined) {
    const p = compileStringMatch(m.uri, `${path}.uri`, diag, { ignoreCase: m.ignoreUriCase === true });
    checks.push((v) => p(v.path));
  }
  for (const key of ['scheme', 'method', 'authority'] as const) {
    const sm = m[key];
    if (sm === undefined) continue;
    const p = compileStringMatch(sm, `${path}.${key}`, diag);
    if (key === 'scheme') checks.push((v) => p(v.scheme));
    else if (key === 'method') checks.push((v) => p(v.method));
    else checks.push((v) => p(v.authority));
  }
  for (const [name, sm] of entries(m.headers, `${path}.headers`, diag)) {
    const key = name.toLowerCase();
    if (key !== name) diag.error(`${path}.headers.${name}`, 'header names must be lowercase', `write "${key}"`);
    const p = compileStringMatch(sm, `${path}.headers.${name}`, diag, { allowEmpty: true });
    if (p === matchAny) checks.push((v) => headerValue(v, key) !== undefined);
    else checks.push((v) => {
      const h = headerValue(v, key);
      return h !== undefined && p(h);
    });
  }
  for (const [name, sm] of entries(m.withoutHeaders, `${path}.withoutHeaders`, diag)) {
    const key = name.toLowerCase();
    if (key !== name) diag.error(`${path}.withoutHeaders.${name}`, 'header names must be lowercase', `write "${key}"`);
    const p = compileStringMatch(sm, `${path}.withoutHeaders.${name}`, diag, { allowEmpty: true });
    // `{}` inverted means "absent"; otherwise a missing header counts as "" before inverting.
    if (p === matchAny) checks.push((v) => headerValue(v, key) === undefined);
    else checks.push((v) => !p(headerValue(v, key) ?? ''));
  }
  for (const [name, sm] of entries(m.queryParams, `${path}.queryParams`, diag)) {
    const p = compileStringMatch(sm, `${path}.queryParams.${name}`, diag, { allowEmpty: true, kinds: ['exact', 'regex'] });
    checks.push((v) => {
      const q = queryParam(v, name);
      return q !== null && p(q);
    });
  }
  if (m.port !== undefined) {
    const port = m.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) diag.error(`${path}.port`, `port must be an integer 1–65535, got ${String(port)}`);
    // No port in the Host header means the default HTTP port.
    checks.push((v) => (v.port ?? 80) === port);
  }
  const test = andAll(checks);
  const entry: CompiledMatchEntry = { index, test };
  if (typeof m.uri?.prefix === 'string') {
    entry.uriPrefix = m.uri.prefix;
    entry.uriKind = 'prefix';
  } else if (typeof m.uri?.exact === 'string') entry.uriKind = 'exact';
  else if (typeof m.uri?.regex === 'string') entry.uriKind = 'regex';
  const onlyPort = checks.length === (m.uri !== undefined ? 1 : 0) + (m.port !== undefined ? 1 : 0);
  if (onlyPort && (m.uri === undefined || (m.uri.prefix === '/' && Object.keys(m.uri).length === 1))) entry.catchAll = true;
  return entry;
}

/** Compiles a match list; an absent or empty list yields the single match-all entry. */
export function compileMatchList(list: HTTPMatchRequest[] | undefined, path: string, diag: Diagnostics): CompiledMatchEntry[] {
  if (list === undefined || list === null) return [MATCH_ALL];
  if (!Array.isArray(list)) {
    diag.error(path, 'match must be a list');
    return [];
  }
  if (list.length === 0) return [MATCH_ALL];
  return list.map((m, i) => compileMatchEntry(m, i, `${path}[${i}]`, diag));
}

/** The first entry of `list` the request satisfies, or undefined. */
export function firstMatch(list: CompiledMatchEntry[], v: RequestView): CompiledMatchEntry | undefined {
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (e.test(v)) return e;
  }
  return undefined;
}

function entries(map: Record<string, StringMatch> | undefined, path: string, diag: Diagnostics): Array<[string, StringMatch]> {
  if (map === undefined) return [];
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    diag.error(path, 'expected a map of name to string match');
    return [];
  }
  return Object.entries(map);
}

function andAll(checks: Array<(v: RequestView) => boolean>): (v: RequestView) => boolean {
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0]!;
  if (checks.length === 2) {
    const [a, b] = checks as [(v: RequestView) => boolean, (v: RequestView) => boolean];
    return (v) => a(v) && b(v);
  }
  return (v) => {
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(v)) return false;
    return true;
  };
}

/** Predicate type re-exported for callers that build views by hand. */
export type { StringPredicate };
