/**
 * The route table: VirtualServices and the service registry compiled into "which routes serve this
 * Host header". Like Istio's sidecar config, every service gets a virtual host answering its FQDN,
 * `name.ns.svc`, `name.ns` and the short name; the VirtualService whose hosts cover the service
 * (exact name first, then the longest `*.suffix` wildcard, then `*`) supplies the routes, and a
 * service without one is routed to all its endpoints (a plain Kubernetes Service). Hosts that are not
 * services (e.g. "api.example.com") are matched by the VirtualServices' own host entries.
 * A table is immutable: a live change compiles a new one and swaps it in.
 */
import type { VirtualService } from '../../istio/types.js';
import type { Cluster, ServiceRegistry } from './clusters.js';
import type { CompiledRoute } from './compile-route.js';
import { compileRoute } from './compile-route.js';
import { type Diagnostics, objectLabel } from './diagnostics.js';
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

/** Compiles one VirtualService into a virtual host and its resolved host entries. */
export function compileVirtualService(vs: VirtualService, defaultNs: string, registry: ServiceRegistry, diag: Diagnostics): { vhost: VirtualHost; hosts: string[] } {
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
    const c = compileRoute(r, i, name, ns, (dest) => registry.resolve(dest.host, dest.subset), d);
    if (c) routes.push(c);
  });
  return { vhost: { name: label, routes, source: vs }, hosts };
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
}

/** Compiles a complete table; problems go to `diag` (the caller refuses the table on errors). */
export function createRouteTable(options: RouteTableOptions, diag: Diagnostics): RouteTable {
  const { registry, namespace } = options;
  const exactVs = new Map<string, VirtualHost>();
  const wildcards: Array<{ suffix: string; vhost: VirtualHost }> = [];
  let catchAll: VirtualHost | undefined;
  const byKey = new Map<string, VirtualService>();
  for (const vs of options.virtualServices) {
    byKey.set(vsKey(vs, namespace), vs);
    const { vhost, hosts } = compileVirtualService(vs, namespace, registry, diag);
    for (const h of hosts) {
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
  return {
    virtualServices: byKey,
    registry,
    inFlight: 0,
    lookup(authority) {
      const host = hostOfAuthority(authority);
      return exact.get(host) ?? (wildcards.length ? wildcardFor(host) : undefined) ?? catchAll;
    },
  };
}
