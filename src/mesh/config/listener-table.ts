/**
 * The listeners a configuration needs besides the mesh's HTTP listener, and what each serves (pure):
 * - one per Gateway port (`gateway:<port>`): HTTP servers get a host table built as Istio builds a
 *   gateway's route configuration — for every VirtualService bound to a Gateway with a server on the
 *   port, each VirtualService host that meets a server host (and whose namespace the server host
 *   admits) becomes a domain; TCP servers get the first TCP route of the bound VirtualServices
 *   whose match fits the port;
 * - one per (service, port) of the mesh's TCP routes (`mesh:<fqdn>:<port>`): the port is `match.port`
 *   (the service port the client dials), else the destination's `port.number`. Locally there is no
 *   service IP to tell services apart on one port, hence one listener per (service, port).
 * Which local port each gets is decided where the sockets are opened (`listeners.ts`).
 */
import type { Diagnostics } from './diagnostics.js';
import type { CompiledServer } from './gateways.js';
import { intersectHosts, MESH } from './gateways.js';
import { hostOfAuthority } from './host-names.js';
import { type CompiledTcpRoute, tcpRouteFor } from './tcp-route.js';

/** A listener the configuration asks for. */
export interface ListenerSpec {
  /** Stable identity across configurations: "gateway:80", "mesh:tcp-echo.default.svc.cluster.local:9000". */
  key: string;
  /** A Gateway port (HTTP or TCP) or a mesh TCP service port. */
  kind: 'gateway-http' | 'gateway-tcp' | 'mesh-tcp';
  /** The port as declared (gateway `port.number`, service port). */
  port: number;
  /** For messages: "gateway HTTP :80 (default/httpbin-gateway)". */
  name: string;
}

/** A VirtualService as the listener table needs it (`V`: its compiled virtual host, route-table.ts's `VirtualHost`). */
export interface BoundVirtualService<V> {
  /** "VirtualService ns/name" for messages. */
  label: string;
  /** Its namespace. */
  namespace: string;
  /** Its hosts, resolved (FQDN for short names). */
  hosts: string[];
  /** Contexts it is bound to ("mesh", "ns/gateway"). */
  contexts: string[];
  /** Its HTTP routes compiled for a context. */
  vhostFor(context: string): V;
  /** Its TCP routes compiled for a context. */
  tcpFor(context: string): CompiledTcpRoute[];
}

/** Listeners and what they serve. */
export interface ListenerTables<V> {
  /** Every listener, gateways first, in port order. */
  listeners: ListenerSpec[];
  /** Virtual-host lookup of each HTTP gateway listener, by key. */
  http: Map<string, (authority: string) => V | undefined>;
  /** The route of each TCP listener, by key (undefined: connections are closed). */
  tcp: Map<string, CompiledTcpRoute | undefined>;
}

/**
 * Builds the tables; conflicts and unusable entries are warnings. `merge` combines the virtual
 * hosts of VirtualServices claiming one domain on one gateway port, oldest first (Istio merges
 * gateway-bound VirtualServices for a host).
 */
export function buildListenerTables<V>(bound: readonly BoundVirtualService<V>[], servers: readonly CompiledServer[], diag: Diagnostics, merge: (vhosts: V[]) => V): ListenerTables<V> {
  const listeners: ListenerSpec[] = [];
  const http = new Map<string, (authority: string) => V | undefined>();
  const tcp = new Map<string, CompiledTcpRoute | undefined>();
  const knownGateways = new Set(servers.map((s) => s.gateway));
  for (const b of bound) {
    for (const c of b.contexts) if (c !== MESH && !knownGateways.has(c)) diag.forObject(b.label).warn('spec.gateways', `Gateway ${c} is not defined (or has no server the local mesh serves); these routes are not served there`);
  }
  const ports = [...new Set(servers.map((s) => s.port))].sort((a, b) => a - b);
  for (const port of ports) {
    const onPort = servers.filter((s) => s.port === port);
    const protocol = onPort[0]!.protocol;
    const names = [...new Set(onPort.map((s) => s.gateway))].join(', ');
    for (const s of onPort) {
      if (s.protocol !== protocol) diag.forObject(`Gateway ${s.gateway}`).warn('spec.servers', `port ${port} is already served as ${protocol} by another server; this ${s.protocol} server is skipped`);
    }
    const same = onPort.filter((s) => s.protocol === protocol);
    const key = `gateway:${port}`;
    if (protocol === 'HTTP') {
      listeners.push({ key, kind: 'gateway-http', port, name: `gateway HTTP :${port} (${names})` });
      http.set(key, gatewayHostLookup(bound, same, merge));
    } else {
      listeners.push({ key, kind: 'gateway-tcp', port, name: `gateway TCP :${port} (${names})` });
      tcp.set(key, gatewayTcpRoute(bound, same, port));
    }
  }
  for (const [key, spec] of meshTcpListeners(bound, diag)) {
    listeners.push(spec.listener);
    tcp.set(key, spec.route);
  }
  return { listeners, http, tcp };
}

/** Whether a server host admits a VirtualService host of namespace `ns`; the domain it serves under if so. */
function domainsOf<V>(b: BoundVirtualService<V>, server: CompiledServer): string[] {
  const out: string[] = [];
  for (const sh of server.hosts) {
    if (sh.namespace !== undefined && sh.namespace !== b.namespace) continue;
    for (const h of b.hosts) {
      const d = intersectHosts(h, sh.host);
      if (d !== undefined && !out.includes(d)) out.push(d);
    }
  }
  return out;
}

function gatewayHostLookup<V>(bound: readonly BoundVirtualService<V>[], servers: readonly CompiledServer[], merge: (vhosts: V[]) => V): (authority: string) => V | undefined {
  // Every VirtualService (oldest first) claiming a domain on this port; one bound through two servers counts once.
  const byDomain = new Map<string, { vhosts: V[]; labels: string[] }>();
  for (const s of servers) {
    for (const b of bound) {
      if (!b.contexts.includes(s.gateway)) continue;
      const vhost = b.vhostFor(s.gateway);
      for (const d of domainsOf(b, s)) {
        const e = byDomain.get(d) ?? byDomain.set(d, { vhosts: [], labels: [] }).get(d)!;
        if (e.labels.includes(b.label)) continue;
        e.vhosts.push(vhost);
        e.labels.push(b.label);
      }
    }
  }
  const entries = [...byDomain].map(([d, e]) => [d, e.vhosts.length === 1 ? e.vhosts[0]! : merge(e.vhosts), e.labels.join(' + ')] as const);
  return createHostLookup(entries, () => undefined);
}

function gatewayTcpRoute<V>(bound: readonly BoundVirtualService<V>[], servers: readonly CompiledServer[], port: number): CompiledTcpRoute | undefined {
  for (const s of servers) {
    for (const b of bound) {
      if (!b.contexts.includes(s.gateway) || domainsOf(b, s).length === 0) continue;
      const r = tcpRouteFor(b.tcpFor(s.gateway), port);
      if (r) return r;
    }
  }
  return undefined;
}

function meshTcpListeners<V>(bound: readonly BoundVirtualService<V>[], diag: Diagnostics): Map<string, { listener: ListenerSpec; route: CompiledTcpRoute | undefined }> {
  const out = new Map<string, { listener: ListenerSpec; route: CompiledTcpRoute | undefined }>();
  for (const b of bound) {
    if (!b.contexts.includes(MESH)) continue;
    const routes = b.tcpFor(MESH);
    if (routes.length === 0) continue;
    const d = diag.forObject(b.label);
    const ports = new Set<number>();
    routes.forEach((r) => {
      const list = r.ports ? [...r.ports] : r.destinationPorts;
      if (list.length === 0) d.warn(`spec.tcp (${r.name})`, 'neither match.port nor destination.port.number: the local mesh cannot tell which service port to listen on; not served');
      for (const p of list) ports.add(p);
    });
    for (const host of b.hosts) {
      if (host.includes('*')) {
        d.warn('spec.hosts', `TCP routes for the wildcard host ${host} are not served by the local mesh (a listener needs one service)`);
        continue;
      }
      for (const port of [...ports].sort((x, y) => x - y)) {
        const key = `mesh:${host}:${port}`;
        if (out.has(key)) {
          d.warn('spec.tcp', `TCP ${host}:${port} is already served by an older VirtualService; that one wins`);
          continue;
        }
        out.set(key, { listener: { key, kind: 'mesh-tcp', port, name: `mesh TCP ${host}:${port}` }, route: tcpRouteFor(routes, port) });
      }
    }
  }
  return out;
}

/**
 * A lookup over Envoy-style virtual-host domains: exact first, then the longest "*.suffix", then "*"
 * (Envoy's virtual host selection); the Host header's port is ignored. `onConflict` is told about a
 * domain a later entry also claims (the earlier keeps it).
 */
export function createHostLookup<V>(entries: ReadonlyArray<readonly [string, V, string]>, onConflict: (domain: string, kept: string, dropped: string) => void): (authority: string) => V | undefined {
  const exact = new Map<string, [V, string]>();
  const wild: Array<{ suffix: string; vhost: V; owner: string }> = [];
  let any: [V, string] | undefined;
  for (const [domain, vhost, owner] of entries) {
    const prior = domain === '*' ? any : domain.startsWith('*.') ? wild.find((w) => w.suffix === domain.slice(1)) : exact.get(domain);
    const priorOwner = Array.isArray(prior) ? prior[1] : prior?.owner;
    if (prior) {
      if (priorOwner !== owner) onConflict(domain, priorOwner!, owner);
      continue;
    }
    if (domain === '*') any = [vhost, owner];
    else if (domain.startsWith('*.')) wild.push({ suffix: domain.slice(1), vhost, owner });
    else exact.set(domain, [vhost, owner]);
  }
  wild.sort((a, b) => b.suffix.length - a.suffix.length);
  return (authority) => {
    const host = hostOfAuthority(authority);
    const e = exact.get(host);
    if (e) return e[0];
    for (const w of wild) if (host.endsWith(w.suffix) && host.length > w.suffix.length) return w.vhost;
    return any?.[0];
  };
}
