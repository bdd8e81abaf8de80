/**
 * Host names as Istio resolves them. In config, a short name (no dots, e.g. "reviews") means the
 * Kubernetes service of that name in the namespace of the object that mentions it; anything with a
 * dot is taken literally. On the wire, a sidecar answers a service under several names (Envoy's
 * virtual-host domains): the FQDN, `name.ns.svc`, `name.ns` and, from the same namespace, `name`.
 */

/** The cluster domain every Kubernetes service FQDN ends with. */
export const CLUSTER_SUFFIX = '.svc.cluster.local';

/** Resolves a host as written in an object of `namespace` to the name Istio uses for it. */
export function resolveHost(host: string, namespace: string): string {
  const h = host.trim().toLowerCase();
  if (h.includes('.') || h.includes('*')) return h;
  return `${h}.${namespace}${CLUSTER_SUFFIX}`;
}

/** Parts of a Kubernetes service FQDN; undefined for a host that is not one (e.g. "api.example.com"). */
export interface ServiceName {
  /** Service name, e.g. "reviews". */
  name: string;
  /** Namespace, e.g. "default". */
  namespace: string;
}

/** Splits "reviews.default.svc.cluster.local" into name and namespace. */
export function parseServiceFqdn(fqdn: string): ServiceName | undefined {
  if (!fqdn.endsWith(CLUSTER_SUFFIX)) return undefined;
  const parts = fqdn.slice(0, -CLUSTER_SUFFIX.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * The Host header values a service answers to, most specific first. The bare short name is
 * included too; callers give services of the client's own namespace priority for it.
 */
export function hostAliases(fqdn: string): string[] {
  const svc = parseServiceFqdn(fqdn);
  if (!svc) return [fqdn];
  const { name, namespace } = svc;
  return [fqdn, `${name}.${namespace}.svc`, `${name}.${namespace}`, name];
}

/**
 * The host part of a Host header: lowercased, port removed (IPv6 literals keep their brackets).
 * Hot path: returns the input unchanged when there is nothing to strip or lowercase.
 */
export function hostOfAuthority(authority: string): string {
  let end = authority.length;
  if (authority.charCodeAt(0) === 91 /* [ */) {
    const close = authority.indexOf(']');
    if (close > 0) end = close + 1;
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) end = colon;
  }
  const host = end === authority.length ? authority : authority.slice(0, end);
  return hasUpper(host) ? host.toLowerCase() : host;
}

/** The port of a Host header, or undefined when it names none. */
export function portOfAuthority(authority: string): number | undefined {
  const colon = authority.lastIndexOf(':');
  if (colon < 0 || authority.indexOf(']', colon) >= 0) return undefined;
  const port = Number(authority.slice(colon + 1));
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}
