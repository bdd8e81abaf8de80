/**
 * `spec.tcp[]` of a VirtualService compiled for one context (the mesh or a gateway), as Istio
 * configures Envoy's tcp_proxy: the first route whose `match` fits the connection's port takes it,
 * and its destinations become `weighted_clusters`, so one destination is drawn per connection
 * (https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto,
 * `WeightedCluster`; Istio's TCPRoute: https://istio.io/latest/docs/reference/config/networking/virtual-service/#TCPRoute).
 */
import type { TCPRoute } from '../../istio/types.js';
import type { Cluster } from './clusters.js';
import type { Diagnostics } from './diagnostics.js';
import { resolveGatewayRef } from './gateways.js';
import { resolveHost } from './host-names.js';
import type { ResolveDestination } from './mirror.js';
import { createWeightedPicker, type WeightedPicker } from './weighted-pick.js';

/** A compiled TCP route. */
export interface CompiledTcpRoute {
  /** "<vs>.tcp[i]". */
  name: string;
  /** Ports its matches name; undefined = every port (no match, or a match without port). */
  ports: ReadonlySet<number> | undefined;
  /** Ports of its destinations (`destination.port.number`), where a mesh listener may be opened. */
  destinationPorts: number[];
  /** Draws the cluster of a connection; undefined = no destination has weight. */
  pick: WeightedPicker<Cluster>;
}

/** Compiles the routes of `tcp` that apply in `context` (match-level `gateways` override the VirtualService's; undefined: all, to check them). */
export function compileTcpRoutes(tcp: unknown, vsName: string, namespace: string, context: string | undefined, resolve: ResolveDestination, diag: Diagnostics): CompiledTcpRoute[] {
  if (tcp === undefined) return [];
  if (!Array.isArray(tcp)) {
    diag.error('spec.tcp', 'spec.tcp must be a list');
    return [];
  }
  const out: CompiledTcpRoute[] = [];
  (tcp as TCPRoute[]).forEach((r, i) => {
    const path = `spec.tcp[${i}]`;
    if (r === null || typeof r !== 'object') return diag.error(path, 'a tcp route must be an object');
    let matches = Array.isArray(r.match) ? r.match.filter((m) => m && typeof m === 'object') : [];
    const had = matches.length > 0;
    if (context !== undefined) matches = matches.filter((m) => !Array.isArray(m.gateways) || m.gateways.some((g) => resolveGatewayRef(String(g), namespace) === context));
    // Every match bound elsewhere: the route does not exist in this context (Istio drops it).
    if (had && matches.length === 0) return;
    let ports: Set<number> | undefined = new Set<number>();
    if (!had) ports = undefined;
    for (const m of matches) {
      if (m.port === undefined) ports = undefined;
      else if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) diag.error(`${path}.match.port`, `port must be an integer 1–65535, got ${String(m.port)}`);
      else ports?.add(m.port);
    }
    const list = r.route;
    if (!Array.isArray(list) || list.length === 0) return diag.error(`${path}.route`, 'a tcp route needs at least one destination');
    const targets: Array<{ item: Cluster; weight: number }> = [];
    const destinationPorts: number[] = [];
    list.forEach((d, j) => {
      const p = `${path}.route[${j}]`;
      if (!d?.destination || typeof d.destination.host !== 'string' || !d.destination.host) return diag.error(`${p}.destination.host`, 'a destination needs host');
      const weight = d.weight ?? 0;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) return diag.error(`${p}.weight`, `weight must be a non-negative integer, got ${String(weight)}`);
      const cluster = resolve({ ...d.destination, host: resolveHost(d.destination.host, namespace) });
      if (typeof cluster === 'string') return diag.error(`${p}.destination`, cluster, 'subsets come from DestinationRules; every host needs a backend');
      const port = d.destination.port?.number;
      if (Number.isInteger(port)) destinationPorts.push(port!);
      targets.push({ item: cluster, weight });
    });
    if (targets.length > 1 && targets.every((t) => t.weight === 0)) diag.warn(`${path}.route`, 'all destination weights are 0: every connection is closed at once (no upstream)');
    out.push({ name: `${vsName}.tcp[${i}]`, ports, destinationPorts, pick: createWeightedPicker(targets) });
  });
  return out;
}

/** The first route of `routes` that takes a connection to `port`, as Envoy's filter-chain match picks it. */
export function tcpRouteFor(routes: readonly CompiledTcpRoute[], port: number): CompiledTcpRoute | undefined {
  for (const r of routes) if (r.ports === undefined || r.ports.has(port)) return r;
  return undefined;
}
