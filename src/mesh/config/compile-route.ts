/**
 * One `spec.http[]` entry compiled into what the proxy executes per request: its match entries, the
 * weighted destinations (resolved to clusters), fault, mirrors, timeout, retry policy, header
 * operations, rewrites, or a local answer (directResponse, redirect). Everything that can be
 * precomputed is, so the hot path only reads fields and calls small closures.
 */
import type { HTTPRoute, HTTPRouteDestination } from '../../istio/types.js';
// Timer-bounded: a manifest's duration past 24.8 days would overflow setTimeout (it fires at once).
// Timer-bounded: a manifest's duration past 24.8 days would overflow setTimeout (it fires at once).
import { parseTimerDuration } from '../../input/units.js';
import type { Cluster } from './clusters.js';
import type { Diagnostics } from './diagnostics.js';
import { type CompiledFault, compileFault } from './fault.js';
import { type CompiledHeaderOps, compileHeaderOps } from './header-ops.js';
import { resolveHost } from './host-names.js';
import { type CompiledMirror, compileMirrors, type ResolveDestination } from './mirror.js';
import { compileRe2 } from '../../istio/re2.js';
import { type CompiledMatchEntry, compileMatchList } from './request-match.js';
import { type CompiledRetry, compileRetry } from './retry.js';
import { createWeightedPicker, type WeightedPicker } from './weighted-pick.js';

/** A weighted destination of a route. */
export interface RouteTarget {
  /** Where the request goes. */
  cluster: Cluster;
  /** Destination-level request header operations. */
  requestHeaders: CompiledHeaderOps | undefined;
  /** Destination-level response header operations. */
  responseHeaders: CompiledHeaderOps | undefined;
}

/** `rewrite` of a route. */
export interface CompiledRewrite {
  /** Replaces the matched uri prefix (or the whole path). */
  uri?: string;
  /** Replaces the Host header. */
  authority?: string;
  /** `uriRegexRewrite`: every match of `regex` in the path replaced by `replacement`. */
  regex?: { regex: RegExp; replacement: string };
}

/** A local answer: directResponse or redirect. */
export interface LocalAnswer {
  /** Status code. */
  status: number;
  /** Body (directResponse). */
  body?: Buffer;
  /** For redirects: how to build Location. */
  redirect?: { uri?: string; authority?: string; scheme?: string; port?: number };
}

/** A compiled `HTTPRoute`. */
export interface CompiledRoute {
  /** Route name, or "<vs>.http[i]". */
  name: string;
  /** Index in `spec.http`. */
  index: number;
  /** Match entries (OR). */
  matches: CompiledMatchEntry[];
  /** Picks a destination; undefined = no healthy upstream (all weights 0). */
  pick: WeightedPicker<RouteTarget>;
  /** True when the route has destinations (false for local answers). */
  forwards: boolean;
  /** Local answer instead of forwarding. */
  local: LocalAnswer | undefined;
  /** Fault to inject. */
  fault: CompiledFault | undefined;
  /** Mirrors. */
  mirrors: CompiledMirror[];
  /** Route timeout, ms; 0 = none (Istio's default). */
  timeoutMs: number;
  /** Retry policy; null = none. */
  retry: CompiledRetry | null;
  /** Route-level request header operations. */
  requestHeaders: CompiledHeaderOps | undefined;
  /** Route-level response header operations. */
  responseHeaders: CompiledHeaderOps | undefined;
  /** Rewrites. */
  rewrite: CompiledRewrite | undefined;
}

/** Compiles `route` (entry `index` of a VirtualService in `namespace`). */
export function compileRoute(route: HTTPRoute, index: number, vsName: string, namespace: string, resolve: ResolveDestination, diag: Diagnostics): CompiledRoute | undefined {
  const path = `spec.http[${index}]`;
  if (route === null || typeof route !== 'object') {
    diag.error(path, 'an http route must be an object');
    return undefined;
  }
  if (route.delegate !== undefined) {
    diag.warn(`${path}.delegate`, 'delegate VirtualServices are not supported locally; this route is skipped');
    return undefined;
  }
  const actions = ['route', 'redirect', 'directResponse'].filter((k) => route[k] !== undefined);
  if (actions.length !== 1) {
    diag.error(path, actions.length ? `only one of ${actions.join(', ')} may be set` : 'an http route needs route, redirect or directResponse');
    return undefined;
  }
  // Compiled in field order, so problems are reported in the order the user reads them.
  const matches = compileMatchList(route.match, `${path}.match`, diag);
  const targets = route.route !== undefined ? compileTargets(route.route, `${path}.route`, namespace, resolve, diag) : [];
  return {
    name: typeof route.name === 'string' && route.name ? route.name : `${vsName}.http[${index}]`,
    index,
    matches,
    pick: createWeightedPicker(targets),
    forwards: route.route !== undefined,
    local: compileLocal(route, path, diag),
    fault: compileFault(route.fault, `${path}.fault`, diag),
    mirrors: compileMirrors(route, path, namespace, resolve, diag),
    timeoutMs: compileTimeout(route.timeout, `${path}.timeout`, diag),
    retry: compileRetry(route.retries, `${path}.retries`, diag),
    requestHeaders: compileHeaderOps(route.headers?.request, `${path}.headers.request`, diag),
    responseHeaders: compileHeaderOps(route.headers?.response, `${path}.headers.response`, diag),
    rewrite: compileRewrite(route.rewrite, `${path}.rewrite`, diag),
  };
}

function compileTargets(list: HTTPRouteDestination[], path: string, namespace: string, resolve: ResolveDestination, diag: Diagnostics): Array<{ item: RouteTarget; weight: number }> {
  if (!Array.isArray(list) || list.length === 0) {
    diag.error(path, 'route needs at least one destination');
    return [];
  }
  const out: Array<{ item: RouteTarget; weight: number }> = [];
  list.forEach((d, i) => {
    const p = `${path}[${i}]`;
    if (!d?.destination || typeof d.destination.host !== 'string' || !d.destination.host) return diag.error(`${p}.destination.host`, 'a destination needs host');
    const weight = d.weight ?? 0;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) return diag.error(`${p}.weight`, `weight must be a non-negative integer, got ${String(weight)}`);
    const cluster = resolve({ ...d.destination, host: resolveHost(d.destination.host, namespace) });
    if (typeof cluster === 'string') return diag.error(`${p}.destination`, cluster, 'subsets come from DestinationRules; every host needs a backend');
    out.push({
      weight,
      item: {
        cluster,
        requestHeaders: compileHeaderOps(d.headers?.request, `${p}.headers.request`, diag),
        responseHeaders: compileHeaderOps(d.headers?.response, `${p}.headers.response`, diag),
      },
    });
  });
  if (out.length > 1 && out.every((t) => t.weight === 0)) {
    diag.warn(path, 'all destination weights are 0: every request gets 503 "no healthy upstream" (flag UH)');
  }
  return out;
}

function compileTimeout(t: string | undefined, path: string, diag: Diagnostics): number {
  if (t === undefined) return 0;
  const ms = typeof t === 'string' ? parseTimerDuration(t) : undefined;
  if (ms === undefined) {
    diag.error(path, `invalid duration ${JSON.stringify(t)}`, 'write e.g. "500ms", "10s"; "0s" disables the timeout');
    return 0;
  }
  return ms;
}

function compileRewrite(rw: HTTPRoute['rewrite'], path: string, diag: Diagnostics): CompiledRewrite | undefined {
  if (rw === undefined || rw === null) return undefined;
  const out: CompiledRewrite = {};
  // They end up verbatim in the request line and the Host header: visible ASCII only.
  const visible = (v: string) => /^[\x21-\x7e]*$/.test(v);
  if (typeof rw.uri === 'string') {
    if (visible(rw.uri) && (rw.uri === '' || rw.uri.startsWith('/'))) out.uri = rw.uri;
    else diag.error(`${path}.uri`, `rewrite uri ${JSON.stringify(rw.uri)} must be a path starting with "/" without spaces or control characters`);
  }
  if (typeof rw.authority === 'string') {
    if (visible(rw.authority) && rw.authority !== '') out.authority = rw.authority;
    else diag.error(`${path}.authority`, `rewrite authority ${JSON.stringify(rw.authority)} must be a host name without spaces`);
  }
  const rr = rw.uriRegexRewrite as { match?: unknown; rewrite?: unknown } | undefined;
  if (rr !== undefined) {
    if (out.uri !== undefined) diag.error(path, 'uri and uriRegexRewrite cannot both be set');
    const c = typeof rr.match === 'string' ? compileRe2(rr.match, { anchored: false, flags: 'g' }) : { ok: false as const, error: 'match must be a string' };
    if (!c.ok) diag.error(`${path}.uriRegexRewrite.match`, c.error);
    else out.regex = { regex: c.regex, replacement: String(rr.rewrite ?? '').replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1') };
  }
  for (const k of Object.keys(rw)) {
    if (!['uri', 'authority', 'uriRegexRewrite'].includes(k)) diag.warn(`${path}.${k}`, `rewrite.${k} is not supported locally; ignored`);
  }
  return out.uri !== undefined || out.authority !== undefined || out.regex ? out : undefined;
}

function compileLocal(route: HTTPRoute, path: string, diag: Diagnostics): LocalAnswer | undefined {
  const dr = route.directResponse;
  if (dr !== undefined) {
    const status = dr?.status;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      diag.error(`${path}.directResponse.status`, `status must be an integer 200–599, got ${String(status)}`);
      return undefined;
    }
    const b = dr.body as { string?: unknown; bytes?: unknown } | undefined;
    if (b === undefined) return { status };
    if (typeof b.string === 'string') return { status, body: Buffer.from(b.string) };
    if (typeof b.bytes === 'string') return { status, body: Buffer.from(b.bytes, 'base64') };
    diag.error(`${path}.directResponse.body`, 'body needs string or bytes');
    return { status };
  }
  const r = route.redirect as { uri?: unknown; authority?: unknown; scheme?: unknown; port?: unknown; redirectCode?: unknown; derivePort?: unknown } | undefined;
  if (r === undefined) return undefined;
  const status = r.redirectCode === undefined ? 301 : Number(r.redirectCode);
  if (![301, 302, 303, 307, 308].includes(status)) diag.error(`${path}.redirect.redirectCode`, `redirectCode must be 301, 302, 303, 307 or 308, got ${String(r.redirectCode)}`);
  if (r.derivePort !== undefined) diag.warn(`${path}.redirect.derivePort`, 'derivePort is not supported locally; the port is left as requested');
  const redirect: NonNullable<LocalAnswer['redirect']> = {};
  if (typeof r.uri === 'string') redirect.uri = r.uri;
  if (typeof r.authority === 'string') redirect.authority = r.authority;
  if (typeof r.scheme === 'string') redirect.scheme = r.scheme;
  if (typeof r.port === 'number') redirect.port = r.port;
  return { status, redirect };
}
