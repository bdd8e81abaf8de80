/**
 * Istio `Headers.HeaderOperations` (set / add / remove) compiled once, applied to Node header
 * objects. Order follows Envoy's header parser: removals first, then `set` (overwrite), then `add`
 * (append another value). Route-level and destination-level operations both apply; the proxy applies
 * the destination's first and the route's after, so a route-level `set` wins (Envoy's default, with
 * `most_specific_header_mutations_wins` false).
 */
import type { HeaderOperations } from '../../istio/types.js';
import type { Diagnostics } from './diagnostics.js';

/** Compiled operations; names are lowercase. */
export interface CompiledHeaderOps {
  /** Header names to remove. */
  remove: string[];
  /** Name/value pairs that replace any existing value. */
  set: Array<[string, string]>;
  /** Name/value pairs appended as an extra value. */
  add: Array<[string, string]>;
}

/** A Node header map (incoming or outgoing). */
export type HeaderMap = Record<string, string | string[] | number | undefined>;

/** Headers a proxy must not let configuration touch (framing and hop-by-hop). */
const PROTECTED = new Set(['content-length', 'transfer-encoding', 'connection', 'host', ':authority']);

/** Compiles `ops` found at `path`; undefined when there is nothing to do. */
export function compileHeaderOps(ops: HeaderOperations | undefined, path: string, diag: Diagnostics): CompiledHeaderOps | undefined {
  if (ops === undefined || ops === null) return undefined;
  const out: CompiledHeaderOps = { remove: [], set: [], add: [] };
  for (const [kind, map] of [['set', ops.set], ['add', ops.add]] as const) {
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      diag.error(`${path}.${kind}`, 'expected a map of header name to value');
      continue;
    }
    for (const [name, value] of Object.entries(map)) {
      const key = name.toLowerCase();
      if (!validName(key) || PROTECTED.has(key)) {
        diag.error(`${path}.${kind}.${name}`, `header ${JSON.stringify(name)} cannot be ${kind === 'set' ? 'set' : 'added'}`);
        continue;
      }
      const v = String(value);
      if (!validValue(v)) {
        diag.error(`${path}.${kind}.${name}`, `header value ${JSON.stringify(v)} contains characters HTTP does not allow`);
        continue;
      }
      out[kind].push([key, v]);
    }
  }
  if (ops.remove !== undefined) {
    if (!Array.isArray(ops.remove)) diag.error(`${path}.remove`, 'expected a list of header names');
    else for (const name of ops.remove) {
      const key = String(name).toLowerCase();
      if (!validName(key) || PROTECTED.has(key)) diag.error(`${path}.remove`, `header ${JSON.stringify(name)} cannot be removed`);
      else out.remove.push(key);
    }
  }
  return out.remove.length || out.set.length || out.add.length ? out : undefined;
}

/** Applies `ops` to `headers` in place. */
export function applyHeaderOps(headers: HeaderMap, ops: CompiledHeaderOps): void {
  for (const name of ops.remove) delete headers[name];
  for (const [name, value] of ops.set) headers[name] = value;
  for (const [name, value] of ops.add) {
    const cur = headers[name];
    if (cur === undefined) headers[name] = value;
    else if (Array.isArray(cur)) headers[name] = [...cur, value];
    else headers[name] = [String(cur), value];
  }
}

function validValue(value: string): boolean {
  // Node's rule for outgoing header values: tab, visible ASCII and obs-text; no CR, LF or NUL.
  return !/[^\t\x20-\x7e\x80-\xff]/.test(value);
}

function validName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name);
}
