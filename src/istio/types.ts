/**
 * The parts of Istio's networking.istio.io API (v1) that mesh-exp reads and writes.
 * Field names and meanings follow Istio's protobuf definitions; only the subset the local mesh
 * implements or the providers touch is typed. Unknown fields are kept on the objects (the user owns them).
 */

/** Kubernetes object metadata (the subset we use). */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  [key: string]: unknown;
}

/** `StringMatch`: exactly one of exact / prefix / regex. */
export interface StringMatch {
  exact?: string;
  prefix?: string;
  /** RE2 syntax, matched against the whole value. */
  regex?: string;
}

/** `HTTPMatchRequest`: conditions inside one entry AND together; entries of `match[]` OR. */
export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  /** Keys are lowercase header names; `{}` means "present". */
  headers?: Record<string, StringMatch>;
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
  /** Headers that must NOT match; a missing header is treated as the empty string. */
  withoutHeaders?: Record<string, StringMatch>;
  sourceNamespace?: string;
  statPrefix?: string;
  [key: string]: unknown;
}

/** `PortSelector`. */
export interface PortSelector {
  number?: number;
}

/** `Destination`: a host (service) and optional subset. */
export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

/** `Headers.HeaderOperations`. */
export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

/** `Headers`: request and response manipulation. */
export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

/** `HTTPRouteDestination`: weight is relative to the sum of the route's weights; omitted = 0. */
export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
  headers?: Headers;
}

/** `Percent`: a float 0–100. */
export interface Percent {
  value?: number;
}

/** `HTTPFaultInjection.Delay`. */
export interface FaultDelay {
  /** Duration string, e.g. "5s", "0.5s". */
  fixedDelay?: string;
  percentage?: Percent;
  /** Deprecated integer percent. */
  percent?: number;
  [key: string]: unknown;
}

/** `HTTPFaultInjection.Abort`. */
export interface FaultAbort {
  httpStatus?: number;
  grpcStatus?: string;
  http2Error?: string;
  percentage?: Percent;
  [key: string]: unknown;
}

/** `HTTPFaultInjection`: delay and abort are independent draws; delay first, then abort. */
export interface HTTPFaultInjection {
  delay?: FaultDelay;
  abort?: FaultAbort;
}

/** `HTTPRetry`. */
export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
}

/** `HTTPMirrorPolicy` (the `mirrors[]` entries). */
export interface HTTPMirrorPolicy {
  destination: Destination;
  percentage?: Percent;
}

/** `HTTPRoute`: one entry of `spec.http`, first match wins. */
export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: Record<string, unknown>;
  directResponse?: { status: number; body?: Record<string, unknown> };
  delegate?: Record<string, unknown>;
  rewrite?: { uri?: string; authority?: string; uriRegexRewrite?: Record<string, unknown> };
  timeout?: string;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrors?: HTTPMirrorPolicy[];
  mirrorPercentage?: Percent;
  mirror_percent?: number;
  corsPolicy?: Record<string, unknown>;
  headers?: Headers;
  [key: string]: unknown;
}

/** `L4MatchAttributes`: conditions of a TCP route (entries of `match[]` OR). */
export interface L4MatchAttributes {
  /** The service (or gateway) port the connection is addressed to. */
  port?: number;
  gateways?: string[];
  destinationSubnets?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  [key: string]: unknown;
}

/** `RouteDestination`: a weighted destination of a TCP route. */
export interface RouteDestination {
  destination: Destination;
  weight?: number;
}

/** `TCPRoute`: the first route whose match fits a connection forwards it. */
export interface TCPRoute {
  match?: L4MatchAttributes[];
  route?: RouteDestination[];
  [key: string]: unknown;
}

/** `VirtualService.spec`. */
export interface VirtualServiceSpec {
  hosts?: string[];
  /** Gateways (and the reserved "mesh") the routes apply to; absent = ["mesh"]. */
  gateways?: string[];
  http?: HTTPRoute[];
  tls?: unknown[];
  tcp?: TCPRoute[];
  exportTo?: string[];
  [key: string]: unknown;
}

/** A VirtualService object. */
export interface VirtualService {
  apiVersion: string;
  kind: 'VirtualService';
  metadata: ObjectMeta;
  spec: VirtualServiceSpec;
}

/** `LoadBalancerSettings` (the simple form). */
export interface LoadBalancerSettings {
  simple?: 'UNSPECIFIED' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'LEAST_CONN';
  [key: string]: unknown;
}

/** `TrafficPolicy` (the subset we use). */
export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings;
  [key: string]: unknown;
}

/** `Subset`: a named set of endpoints selected by labels. */
export interface Subset {
  name: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}

/** `DestinationRule.spec`. */
export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
  [key: string]: unknown;
}

/** A DestinationRule object. */
export interface DestinationRule {
  apiVersion: string;
  kind: 'DestinationRule';
  metadata: ObjectMeta;
  spec: DestinationRuleSpec;
}

/** `Port` of a Gateway server. */
export interface GatewayPort {
  number: number;
  /** HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP or TLS. */
  protocol: string;
  name?: string;
  targetPort?: number;
}

/** `Server` of a Gateway: a port and the hosts exposed on it. */
export interface GatewayServer {
  port: GatewayPort;
  /** Hosts, optionally "namespace/host" ("./host": the Gateway's namespace, "*\/host": any). */
  hosts: string[];
  name?: string;
  bind?: string;
  tls?: unknown;
  [key: string]: unknown;
}

/** `Gateway.spec`. */
export interface GatewaySpec {
  selector?: Record<string, string>;
  servers?: GatewayServer[];
  [key: string]: unknown;
}

/** A Gateway object (networking.istio.io). */
export interface Gateway {
  apiVersion: string;
  kind: 'Gateway';
  metadata: ObjectMeta;
  spec: GatewaySpec;
}

/** Any object mesh-exp reads from manifests. */
export type IstioObject = VirtualService | DestinationRule | Gateway;
