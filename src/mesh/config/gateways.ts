/**
 * Istio Gateways as the local mesh serves them (pure). Every Gateway is taken as served by one local
 * ingress gateway (as if every `selector` picked the same istio-ingressgateway pods), so servers of
 * several Gateways on one port share one listener, as Istio merges them into one Envoy listener per
 * port. Also: which contexts a VirtualService is bound to (`spec.gateways`: names, `ns/name`, the
 * reserved `mesh`; absent = `mesh` only) and how a VirtualService host meets a server host.
 * Istio reference: https://istio.io/latest/docs/reference/config/networking/gateway/ and
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService (gateways).
 */
import type { Gateway } from '../../istio/types.js';
import type { Diagnostics } from './diagnostics.js';
import { objectLabel } from './diagnostics.js';

/** The reserved gateway name of the sidecars. */
export const MESH = 'mesh';

/** A server host: the namespaces whose VirtualServices it exposes, and the host pattern. */
export interface ServerHost {
  /** Namespace a VirtualService must be in, or undefined for any ("*\/host" or plain "host"). */
  namespace: string | undefined;
  /** "httpbin.example.com", "*.example.com" or "*" (lowercase). */
  host: string;
}

/** One `servers[]` entry, compiled. */
export interface CompiledServer {
  /** The Gateway's key, "namespace/name". */
  gateway: string;
  /** `port.number`, the port Istio would listen on. */
  port: number;
  /** "HTTP" or "TCP" (others are warned about and not compiled). */
  protocol: 'HTTP' | 'TCP';
  /** Hosts exposed. */
  hosts: ServerHost[];
}

/** Protocols served as HTTP/1.1 (HTTP2 and GRPC accept HTTP/1.1 clients in Envoy too; h2c is not offered locally). */
const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTP2', 'GRPC']);
/** Protocols proxied as opaque TCP. */
const TCP_PROTOCOLS = new Set(['TCP', 'MONGO']);

/** Key of a Gateway, "namespace/name". */
export function gatewayKey(gw: Gateway, defaultNs: string): string {
  return `${gw.metadata?.namespace ?? defaultNs}/${gw.metadata?.name ?? ''}`;
}

/** Compiles every Gateway's servers; what cannot be served locally is a warning. */
export function compileGateways(gateways: readonly Gateway[], defaultNs: string, diag: Diagnostics): CompiledServer[] {
  const out: CompiledServer[] = [];
  for (const gw of gateways) {
    const ns = gw.metadata?.namespace ?? defaultNs;
    const d = diag.forObject(objectLabel('Gateway', ns, gw.metadata?.name ?? '?'));
    const servers = gw.spec?.servers;
    if (!Array.isArray(servers) || servers.length === 0) {
      d.error('spec.servers', 'a Gateway needs at least one server');
      continue;
    }
    servers.forEach((s, i) => {
      const p = `spec.servers[${i}]`;
      const port = s?.port?.number;
      if (!Number.isInteger(port) || port < 1 || port > 65535) return d.error(`${p}.port.number`, `port must be an integer 1–65535, got ${String(port)}`);
      const proto = String(s.port.protocol ?? '').toUpperCase();
      const protocol = HTTP_PROTOCOLS.has(proto) ? 'HTTP' : TCP_PROTOCOLS.has(proto) ? 'TCP' : undefined;
      if (!protocol) return d.warn(`${p}.port.protocol`, `protocol ${JSON.stringify(s.port.protocol)} is not served by the local mesh (HTTP and TCP only); this server is skipped`);
      if (s.tls !== undefined) d.warn(`${p}.tls`, 'TLS settings are not applied locally (plain text); ignored');
      if (s.bind !== undefined) d.warn(`${p}.bind`, 'bind is not applied locally (listeners are on 127.0.0.1); ignored');
      if (!Array.isArray(s.hosts) || s.hosts.length === 0) return d.error(`${p}.hosts`, 'a server needs at least one host');
      const hosts = s.hosts.map((h) => parseServerHost(String(h), ns));
      out.push({ gateway: `${ns}/${gw.metadata?.name ?? ''}`, port, protocol, hosts });
    });
    if (gw.spec?.selector === undefined) d.warn('spec.selector', 'no selector: Istio applies such a Gateway to no workload; the local ingress gateway serves it anyway');
  }
  return out;
}

/** "ns/host", "./host" (the Gateway's namespace), "*\/host" or "host" (any namespace). */
export function parseServerHost(text: string, gatewayNs: string): ServerHost {
  const slash = text.indexOf('/');
  const host = (slash < 0 ? text : text.slice(slash + 1)).trim().toLowerCase();
  if (slash < 0) return { namespace: undefined, host };
  const ns = text.slice(0, slash);
  return { namespace: ns === '*' ? undefined : ns === '.' ? gatewayNs : ns, host };
}

/**
 * The contexts a VirtualService of namespace `vsNs` applies in: "mesh" and/or Gateway keys
 * ("namespace/name"). A bare name means the Gateway in the VirtualService's own namespace.
 */
export function boundContexts(gateways: readonly string[] | undefined, vsNs: string): string[] {
  if (!Array.isArray(gateways) || gateways.length === 0) return [MESH];
  return gateways.map((g) => resolveGatewayRef(String(g), vsNs));
}

/** "mesh" stays; "name" → "vsNs/name"; "ns/name" as written. */
export function resolveGatewayRef(ref: string, vsNs: string): string {
  const r = ref.trim();
  if (r === MESH) return MESH;
  return r.includes('/') ? r : `${vsNs}/${r}`;
}

/** Whether `pattern` ("*", "*.suffix" or a name) covers every name `host` can stand for. */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && host.length > suffix.length;
}

/**
 * The domain a VirtualService host serves under a server host, or undefined when they do not meet:
 * the narrower of the two (Istio exposes the VirtualService host when the server host covers it,
 * and the server host when the VirtualService's wildcard covers it).
 */
export function intersectHosts(vsHost: string, serverHost: string): string | undefined {
  if (hostCovers(serverHost, vsHost)) return vsHost;
  if (hostCovers(vsHost, serverHost)) return serverHost;
  return undefined;
}
