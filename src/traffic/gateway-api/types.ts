/**
 * The parts of a Gateway API HTTPRoute (gateway.networking.k8s.io/v1) the gateway-api provider
 * reads and writes. Fields it does not manage are kept as they come (index signatures).
 */

/** A backend of a rule: a Service (by default) and its relative weight. */
export interface HTTPBackendRef {
  /** Service name (or the name of `kind`). */
  name: string;
  /** Service port. @default the only port, when the implementation allows it */
  port?: number;
  /** Relative weight (not a percentage; weights need not sum to 100). @default 1 */
  weight?: number;
  /** API group of the backend. @default "" (core) */
  group?: string;
  /** Kind of the backend. @default "Service" */
  kind?: string;
  /** Namespace of the backend. @default the route's */
  namespace?: string;
  [key: string]: unknown;
}

/** One header condition. */
export interface HTTPHeaderMatch {
  /** Header name (case-insensitive). */
  name: string;
  /** Value to compare. */
  value: string;
  /** How to compare. @default "Exact" */
  type?: 'Exact' | 'RegularExpression';
}

/** One match of a rule: conditions AND together; a rule's matches OR. */
export interface HTTPRouteMatch {
  /** Path condition. @default PathPrefix "/" */
  path?: { type?: string; value?: string };
  /** Header conditions. */
  headers?: HTTPHeaderMatch[];
  [key: string]: unknown;
}

/** A filter of a rule (RequestMirror is the one the provider writes). */
export interface HTTPRouteFilter {
  /** Filter type, e.g. "RequestMirror". */
  type: string;
  /** For RequestMirror: where copies go, and which share. */
  requestMirror?: { backendRef: { name: string; port?: number; [key: string]: unknown }; percent?: number; [key: string]: unknown };
  [key: string]: unknown;
}

/** A rule of an HTTPRoute. */
export interface HTTPRouteRule {
  /** Rule name, unique within the route (Gateway API v1.2+). @default absent */
  name?: string;
  /** Matches. @default one PathPrefix "/" match */
  matches?: HTTPRouteMatch[];
  /** Filters. */
  filters?: HTTPRouteFilter[];
  /** Backends. */
  backendRefs?: HTTPBackendRef[];
  [key: string]: unknown;
}

/** An HTTPRoute as the user wrote it (server-set metadata and status left out). */
export interface HTTPRouteObject {
  /** "gateway.networking.k8s.io/v1". */
  apiVersion: string;
  /** "HTTPRoute". */
  kind: 'HTTPRoute';
  /** Name, namespace, labels, annotations. */
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** parentRefs, hostnames, rules. */
  spec: { parentRefs?: unknown[]; hostnames?: string[]; rules?: HTTPRouteRule[]; [key: string]: unknown };
}

/** What the gateway-api provider acts on. */
export interface HTTPRouteTarget {
  /** Namespace of the HTTPRoute. */
  namespace: string;
  /** Name of the HTTPRoute. */
  httpRoute: string;
  /** Name of the rule whose weights shift. @default the one rule whose backendRefs name both services */
  rule?: string;
  /** Service serving production now (a backendRef of the rule). */
  stable: string;
  /** Service under test (a backendRef of the same rule; weight 0 before the run, typically). */
  canary: string;
  /** The experiment's target.host: a `traffic.policy` without `destinationRule` finds its DestinationRule by it. @default the canary Service */
  host?: string;
  /** Service of each version a mirror may name (`traffic.mirror.subset`). @default the version's name is the Service's */
  services?: Record<string, string>;
}
