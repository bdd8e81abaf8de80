/**
 * The route table: VirtualServices and the service registry compiled into "which routes serve this
 * Host header". Like Istio's sidecar config, every service gets a virtual host answering its FQDN,
 * `name.ns.svc`, `name.ns` and the short name; the VirtualService whose hosts cover the service
 * (exact name first, then the longest `*.suffix` wildcard, then `*`) supplies the routes, and a
 * service without one is routed to all its endpoints (a plain Kubernetes Service). Hosts that are not
 * services (e.g. "api.example.com") are matched by the VirtualServices' own host entries.
 * A table is immutable: a live change compiles a new one and swaps it in.
 */
import type { Gateway, HTTPRoute, VirtualService } from '../../istio/types.js';
import type { Cluster, ServiceRegistry } from './clusters.js';
import type { CompiledRoute } from './compile-route.js';
import { compileRoute } from './compile-route.js';
import { createDiagnostics, type Diagnostics, objectLabel } from './diagnostics.js';
import { boundContexts, compileGateways, MESH, resolveGatewayRef } from './gateways.js';
import { type BoundVirtualService, buildListenerTables, type ListenerSpec } from './listener-table.js';
import { type CompiledTcpRoute, compileTcpRoutes } from './tcp-route.js';
import { CLUSTER_SUFFIX, hostAliases, hostOfAuthority, parseServiceFqdn, resolveHost } from './host-names.js';
import { MATCH_ALL } from './request-match.js';
import { DEFAULT_RETRY } from './retry.js';
import { createWeightedPicker } from './weighted-pick.js';

/** The routes serving a set of hosts. */
export interface VirtualHost {
  /** "VirtualService ns/name", or "service <fqdn>" for the implicit one. */
  name: string;
  /** Ordered routes; first match wins. */
  routes: CompiledRoute[];
  /** The VirtualService it came from, if any. */
  source?: VirtualService;
}

/** An immutable routing configuration. */
export interface RouteTable {
  /** The virtual host for a Host header (port and case ignored), or undefined (→ 404 NR). */
  lookup(authority: string): VirtualHost | undefined;
  /** Listeners besides the mesh's HTTP one (gateway ports, mesh TCP service ports). */
  readonly listeners: readonly ListenerSpec[];
  /** Virtual-host lookup of an HTTP gateway listener, by listener key (undefined → 404 NR). */
  readonly gatewayHttp: ReadonlyMap<string, (authority: string) => VirtualHost | undefined>;
  /** The TCP route of a TCP listener, by listener key (undefined → the connection is closed). */
  readonly tcp: ReadonlyMap<string, CompiledTcpRoute | undefined>;
  /** The VirtualServices compiled into this table, by "namespace/name". */
  readonly virtualServices: ReadonlyMap<string, VirtualService>;
  /** The services and clusters its routes send to. */
  readonly registry: ServiceRegistry;
  /**
   * Requests routed by this table and not yet answered (the proxy maintains it), so backends that
   * a later table no longer uses are stopped only once the requests that may still reach them are done.
   */
  inFlight: number;
}

/** Key of a VirtualService: "namespace/name". */
export function vsKey(vs: VirtualService, defaultNs: string): string {
  return `${vs.metadata?.namespace ?? defaultNs}/${vs.metadata?.name ?? ''}`;
}

/**
 * Compiles one VirtualService into a virtual host and its resolved host entries. With a `context`
 * ("mesh" or a Gateway key), match entries whose `gateways` exclude it are dropped, and routes left
 * without match entries are skipped, as Istio builds each gateway's routes; without one, every route
 * is compiled (the check of the object).
 */
export function compileVirtualService(vs: VirtualService, defaultNs: string, registry: ServiceRegistry, diag: Diagnostics, context?: string): { vhost: VirtualHost; hosts: string[] } {
  const ns = vs.metadata?.namespace ?? defaultNs;
  const name = vs.metadata?.name ?? '';
  const label = objectLabel('VirtualService', ns, name || '?');
  const d = diag.forObject(label);
  if (!name) d.error('metadata.name', 'a VirtualService needs metadata.name');
  const hosts: string[] = [];
  if (!Array.isArray(vs.spec?.hosts) || vs.spec.hosts.length === 0) d.error('spec.hosts', 'a VirtualService needs at least one host');
  else vs.spec.hosts.forEach((h, i) => {
    if (typeof h !== 'string' || !h) d.error(`spec.hosts[${i}]`, 'a host must be a non-empty string');
    else hosts.push(resolveHost(h, ns));
  });
  const routes: CompiledRoute[] = [];
  const http = vs.spec?.http ?? [];
  if (!Array.isArray(http)) d.error('spec.http', 'spec.http must be a list');
  else http.forEach((r, i) => {
    const inContext = context === undefined ? r : routeInContext(r, ns, context);
    if (!inContext) return;
    const c = compileRoute(inContext, i, name, ns, (dest) => registry.resolve(dest.host, dest.subset), d);
    if (c) routes.push(c);
  });
  if (context === undefined) compileTcpRoutes(vs.spec?.tcp, name, ns, undefined, (dest) => registry.resolve(dest.host, dest.subset), d);
  return { vhost: { name: label, routes, source: vs }, hosts };
}

/** `route` with the match entries that apply in `context`; undefined when none does. */
function routeInContext(route: HTTPRoute, ns: string, context: string): HTTPRoute | undefined {
  const match = route?.match;
  if (!Array.isArray(match) || !match.some((m) => Array.isArray(m?.gateways))) return route;
  const kept = match.filter((m) => !Array.isArray(m?.gateways) || m.gateways.some((g) => resolveGatewayRef(String(g), ns) === context));
  return kept.length ? { ...route, match: kept } : undefined;
}

/** Whether a VirtualService has HTTP routes. */
function hasHttp(vs: VirtualService): boolean {
  return Array.isArray(vs.spec?.http) && vs.spec.http.length > 0;
}

/** Whether a VirtualService has match-level `gateways` (then it compiles differently per context). */
function hasMatchGateways(vs: VirtualService): boolean {
  const has = (list: unknown) => Array.isArray(list) && list.some((r) => Array.isArray(r?.match) && r.match.some((m: { gateways?: unknown }) => Array.isArray(m?.gateways)));
  return has(vs.spec?.http) || has(vs.spec?.tcp);
}

/** The route of a service without VirtualService: all endpoints, Istio's default retry policy. */
export function implicitVirtualHost(cluster: Cluster): VirtualHost {
  const route: CompiledRoute = {
    name: 'default',
    index: 0,
    matches: [MATCH_ALL],
    pick: createWeightedPicker([{ item: { cluster, requestHeaders: undefined, responseHeaders: undefined }, weight: 1 }]),
    forwards: true,
    local: undefined,
    fault: undefined,
    mirrors: [],
    timeoutMs: 0,
    retry: DEFAULT_RETRY,
    requestHeaders: undefined,
    responseHeaders: undefined,
    rewrite: undefined,
  };
  return { name: `service ${cluster.service.fqdn}`, routes: [route] };
}

/** Options for {@link createRouteTable}. */
export interface RouteTableOptions {
  /** VirtualServices in precedence order (on a host conflict the earlier one wins, as the older object does in Istio). */
  virtualServices: readonly VirtualService[];
  /** Services and clusters. */
  registry: ServiceRegistry;
  /** Namespace for objects without one, and the client's namespace (its short names win). */
  namespace: string;
  /** Gateways whose servers get listeners. @default [] */
  gateways?: readonly Gateway[];
}

/** Compiles a complete table; problems go to `diag` (the caller refuses the table on errors). */
export function createRouteTable(options: RouteTableOptions, diag: Diagnostics): RouteTable {
  const { registry, namespace } = options;
  const exactVs = new Map<string, VirtualHost>();
  const wildcards: Array<{ suffix: string; vhost: VirtualHost }> = [];
  let catchAll: VirtualHost | undefined;
  const byKey = new Map<string, VirtualService>();
  const bound: BoundVirtualService<VirtualHost>[] = [];
  // Per-context compilations repeat the check's problems: they go to a scratch sink.
  const scratch = createDiagnostics();
  for (const vs of options.virtualServices) {
    byKey.set(vsKey(vs, namespace), vs);
    const vsNs = vs.metadata?.namespace ?? namespace;
    const full = compileVirtualService(vs, namespace, registry, diag);
    const perContext = hasMatchGateways(vs);
    const contexts = boundContexts(vs.spec?.gateways, vsNs);
    const resolve = (dest: { host: string; subset?: string }) => registry.resolve(dest.host, dest.subset);
    const vhostFor = (c: string) => (perContext ? compileVirtualService(vs, namespace, registry, scratch, c).vhost : full.vhost);
    bound.push({
      label: full.vhost.name, namespace: vsNs, hosts: full.hosts, contexts, vhostFor,
      tcpFor: (c) => compileTcpRoutes(vs.spec?.tcp, vs.metadata?.name ?? '', vsNs, c, resolve, scratch),
    });
    // Only VirtualServices bound to "mesh" serve the mesh's own listener; one with only TCP/TLS
    // routes leaves its hosts' HTTP traffic to the services' default routes, as Istio builds HTTP
    // routes from `http` alone.
    if (!contexts.includes(MESH) || (!hasHttp(vs) && (Array.isArray(vs.spec?.tcp) || Array.isArray(vs.spec?.tls)))) continue;
    const vhost = vhostFor(MESH);
    for (const h of full.hosts) {
      const taken = h === '*' ? catchAll : h.startsWith('*.') ? wildcards.find((w) => w.suffix === h.slice(1))?.vhost : exactVs.get(h);
      if (taken) {
        diag.warn('spec.hosts', `${vhost.name}: host ${h} is already served by ${taken.name}; that one wins (Istio keeps the oldest)`);
        continue;
      }
      if (h === '*') catchAll = vhost;
      else if (h.startsWith('*.')) wildcards.push({ suffix: h.slice(1), vhost });
      else exactVs.set(h, vhost);
    }
  }
  wildcards.sort((a, b) => b.suffix.length - a.suffix.length);
  const wildcardFor = (host: string) => wildcards.find((w) => host.endsWith(w.suffix))?.vhost;

  const exact = new Map<string, VirtualHost>();
  const shortOwnerNs = new Map<string, string>();
  const register = (alias: string, vhost: VirtualHost, ns: string | undefined) => {
    const isShort = !alias.includes('.');
    if (!exact.has(alias)) {
      exact.set(alias, vhost);
      if (isShort && ns) shortOwnerNs.set(alias, ns);
    } else if (isShort && ns === namespace && shortOwnerNs.get(alias) !== namespace) {
      // A short name means the service in the client's own namespace.
      exact.set(alias, vhost);
      shortOwnerNs.set(alias, ns);
    }
  };
  for (const svc of registry.services.values()) {
    const vhost = exactVs.get(svc.fqdn) ?? wildcardFor(svc.fqdn) ?? catchAll ?? implicitVirtualHost(svc.all);
    for (const alias of hostAliases(svc.fqdn)) register(alias, vhost, svc.namespace);
  }
  for (const [h, vhost] of exactVs) {
    if (exact.has(h)) continue;
    const svc = parseServiceFqdn(h);
    if (svc && h.endsWith(CLUSTER_SUFFIX)) for (const alias of hostAliases(h)) register(alias, vhost, svc.namespace);
    else register(h, vhost, undefined);
  }
  const tables = buildListenerTables(bound, compileGateways(options.gateways ?? [], namespace, diag), diag, mergeGatewayVirtualHosts);
  return {
    virtualServices: byKey,
    registry,
    inFlight: 0,
    listeners: tables.listeners,
    gatewayHttp: tables.http,
    tcp: tables.tcp,
    lookup(authority) {
      const host = hostOfAuthority(authority);
      return exact.get(host) ?? (wildcards.length ? wildcardFor(host) : undefined) ?? catchAll;
    },
  };
}

/**
 * The virtual host of several gateway-bound VirtualServices for one domain, as istiod builds it
 * (Istio "Split large virtual services and destination rules into multiple resources"; istiod's
 * `CombineVHostRoutes`): their routes concatenated oldest VirtualService first, each one's order
 * kept, with the catch-all routes moved to the end. A VirtualService's routes after its first
 * catch-all entry are never built by istiod (unreachable in it alone), so they are dropped here too
 * rather than becoming reachable through the merge.
 */
export function mergeGatewayVirtualHosts(vhosts: VirtualHost[]): VirtualHost {
  const routes: CompiledRoute[] = [];
  const last: CompiledRoute[] = [];
  for (const v of vhosts) {
    for (const r of v.routes) {
      const at = r.matches.findIndex((e) => e.catchAll === true);
      if (at < 0) {
        routes.push(r);
        continue;
      }
      if (at > 0) routes.push({ ...r, matches: r.matches.slice(0, at) });
      last.push({ ...r, matches: [r.matches[at]!] });
      break;
    }
  }
  return { name: vhosts.map((v) => v.name).join(' + '), routes: [...routes, ...last] };
}
