/**
 * Reports every field of a VirtualService or DestinationRule that the local mesh does not honour,
 * so nothing is ignored silently: fields that cannot apply to a single local client (sourceLabels,
 * sourceNamespace, source subnets), features not implemented (corsPolicy, tls routes, most
 * connection-pool tuning, locality, ...) and keys Istio does not define at all (typos). A field listed as
 * `true` below is implemented; a string is the warning to give for it.
 */
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { Diagnostics } from './diagnostics.js';
import { objectLabel } from './diagnostics.js';

/** A field schema: `true` = honoured, string = warning text, object = nested schema, `[schema]` = list of. */
type Shape = true | string | { [key: string]: Shape } | [Shape];

const STRING_MATCH: Shape = { exact: true, prefix: true, regex: true };
const STRING_MATCH_MAP: Shape = { '*': STRING_MATCH };
const HEADER_OPS: Shape = { set: true, add: true, remove: true };
const HEADERS: Shape = { request: HEADER_OPS, response: HEADER_OPS };
const PERCENT: Shape = { value: true };
const DESTINATION: Shape = { host: true, subset: true, port: { number: true } };
const NO_SOURCE = 'the local mesh has a single anonymous client; this condition is ignored (treated as satisfied)';

const MATCH: Shape = {
  name: true, uri: STRING_MATCH, scheme: STRING_MATCH, method: STRING_MATCH, authority: STRING_MATCH,
  headers: STRING_MATCH_MAP, withoutHeaders: STRING_MATCH_MAP, queryParams: STRING_MATCH_MAP, ignoreUriCase: true, port: true,
  sourceLabels: NO_SOURCE, sourceNamespace: NO_SOURCE,
  gateways: true, // selects the contexts the entry applies in (route-table.ts)
  statPrefix: 'per-route stat prefixes are not emitted by the local mesh; ignored',
};

const HTTP_ROUTE: Shape = {
  name: true, match: [MATCH], route: [{ destination: DESTINATION, weight: true, headers: HEADERS }],
  redirect: { uri: true, authority: true, port: true, derivePort: true, scheme: true, redirectCode: true },
  directResponse: { status: true, body: { string: true, bytes: true } },
  delegate: true, rewrite: { uri: true, authority: true, uriRegexRewrite: { match: true, rewrite: true } },
  timeout: true,
  retries: { attempts: true, perTryTimeout: true, retryOn: true, retryRemoteLocalities: true, backoff: true, retryIgnorePreviousHosts: true },
  fault: {
    delay: { fixedDelay: true, percentage: PERCENT, percent: true, exponentialDelay: true },
    abort: { httpStatus: true, grpcStatus: true, http2Error: true, percentage: PERCENT, percent: true },
  },
  mirror: DESTINATION, mirrors: [{ destination: DESTINATION, percentage: PERCENT }], mirrorPercentage: PERCENT, mirror_percent: true,
  corsPolicy: 'CORS policies are not applied by the local mesh; ignored',
  headers: HEADERS,
};

const L4_MATCH: Shape = {
  port: true, gateways: true,
  destinationSubnets: 'the local mesh has no service IPs; this condition is ignored (treated as satisfied)',
  sourceLabels: NO_SOURCE, sourceNamespace: NO_SOURCE, sourceSubnet: NO_SOURCE,
};
const TCP_ROUTE: Shape = { match: [L4_MATCH], route: [{ destination: DESTINATION, weight: true }] };

const VS_SPEC: Shape = {
  hosts: true, http: [HTTP_ROUTE], exportTo: true,
  gateways: true, // binds the routes to gateways and/or the mesh (route-table.ts, listener-table.ts)
  tls: 'TLS routes are not served by the local mesh (HTTP and TCP only); ignored',
  tcp: [TCP_ROUTE],
};

const LB: Shape = {
  simple: true,
  consistentHash: {
    httpHeaderName: true, httpCookie: { name: true, path: true, ttl: true, attributes: 'cookie attributes are not added locally; ignored' },
    httpQueryParameterName: true, useSourceIp: true, ringHash: { minimumRingSize: true }, maglev: { tableSize: true }, minimumRingSize: true,
  },
  localityLbSetting: 'the local mesh has no localities; ignored',
  warmupDurationSecs: 'slow-start warmup is not supported locally; ignored',
  warmup: 'slow-start warmup is not supported locally; ignored',
};
const NOT_ENFORCED = 'not enforced by the local mesh; ignored';
// Circuit breaking: the limits are honoured (connection-pool.ts); the rest of the pool's tuning is not.
const CONNECTION_POOL: Shape = {
  tcp: { maxConnections: true, connectTimeout: NOT_ENFORCED, tcpKeepalive: NOT_ENFORCED, maxConnectionDuration: NOT_ENFORCED, idleTimeout: NOT_ENFORCED },
  http: {
    http1MaxPendingRequests: true, http2MaxRequests: true, maxRequestsPerConnection: true, maxRetries: true,
    idleTimeout: true, h2UpgradePolicy: NOT_ENFORCED, useClientProtocol: NOT_ENFORCED, maxConcurrentStreams: NOT_ENFORCED,
  },
};
const PORT_ONLY = 'only connectionPool is applied from port-level settings locally; ignored';
const TRAFFIC_POLICY: Shape = {
  loadBalancer: LB,
  connectionPool: CONNECTION_POOL,
  outlierDetection: {
    consecutive5xxErrors: true, consecutiveGatewayErrors: true, consecutiveErrors: true, interval: true, baseEjectionTime: true,
    maxEjectionPercent: true, minHealthPercent: true,
    splitExternalLocalOriginErrors: 'local-origin errors are always counted as 5xx locally (Istio\'s default); ignored',
    consecutiveLocalOriginFailures: 'local-origin failures are not counted separately locally; ignored',
  },
  tls: 'upstream TLS is not used by the local mesh; ignored',
  portLevelSettings: [{ port: { number: true }, connectionPool: CONNECTION_POOL, loadBalancer: PORT_ONLY, outlierDetection: PORT_ONLY, tls: PORT_ONLY }],
  tunnel: 'tunnel settings are not supported locally; ignored',
  proxyProtocol: 'PROXY protocol is not supported locally; ignored',
  retryBudget: 'retry budgets are not enforced by the local mesh; ignored',
};
const DR_SPEC: Shape = {
  host: true, trafficPolicy: TRAFFIC_POLICY, subsets: [{ name: true, labels: true, trafficPolicy: TRAFFIC_POLICY }], exportTo: true,
  workloadSelector: 'workloadSelector does not apply to the local mesh; the rule applies to every request',
};
const META: Shape = true;

/** Warns about unsupported or unknown fields of a VirtualService. */
export function reportUnsupportedVirtualService(vs: VirtualService, defaultNs: string, diag: Diagnostics): void {
  const d = diag.forObject(objectLabel('VirtualService', vs.metadata?.namespace ?? defaultNs, vs.metadata?.name ?? '?'));
  walk(vs.spec, VS_SPEC, 'spec', d);
  walk({ apiVersion: vs.apiVersion, kind: vs.kind, metadata: vs.metadata }, { apiVersion: true, kind: true, metadata: META }, '', d);
}

/** Warns about unsupported or unknown fields of a DestinationRule. */
export function reportUnsupportedDestinationRule(dr: DestinationRule, defaultNs: string, diag: Diagnostics): void {
  const d = diag.forObject(objectLabel('DestinationRule', dr.metadata?.namespace ?? defaultNs, dr.metadata?.name ?? '?'));
  walk(dr.spec, DR_SPEC, 'spec', d);
}

function walk(value: unknown, shape: Shape, path: string, d: Diagnostics): void {
  if (value === undefined || value === null) return;
  if (typeof shape === 'string') {
    d.warn(path, shape);
    return;
  }
  if (shape === true) return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, shape[0], `${path}[${i}]`, d));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const sub = shape[key] ?? shape['*'];
    const p = path ? `${path}.${key}` : key;
    if (sub === undefined) d.warn(p, `unknown field "${key}" (not part of Istio's API); ignored`);
    else walk(v, sub, p, d);
  }
}
