/**
 * The resilience changes an experiment may make: a retry policy on the target route
 * (`traffic.retries`) and DestinationRule traffic-policy settings (`traffic.policy`). The Istio
 * fragments mirror Istio's own types (networking.istio.io/v1 `HTTPRetry`, `ConnectionPoolSettings`,
 * `OutlierDetection`, `LoadBalancerSettings`) field for field, so what is written here is exactly what
 * lands in the VirtualService or DestinationRule; durations stay Istio duration strings ("1s", "30s").
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
import { z } from 'zod';
import { duration, durationText, ISTIO_SETTING_DURATION, ISTIO_SETTING_WAIT, k8sName, STEP_DURATION } from './schema-fields.js';

// Kept as written ("1s", "0.5s", "1m30s"), refused exactly where the mesh would refuse or ignore it.
const istioDuration = (description: string) => durationText(description, ISTIO_SETTING_DURATION);
// int32 fields of Istio's API: a value past 2^31-1 is refused by the API server's CRD schema.
const int32 = (description: string) => z.number().int().min(0).max(2 ** 31 - 1).describe(description);
const percent0to100 = (description: string) => z.number().int().min(0).max(100).describe(description);

/** Istio `HTTPRetry`, set on the target route. */
export const retriesSchema = z
  .strictObject({
    attempts: int32('Number of retries (Envoy num_retries; 0 disables retries).'),
    perTryTimeout: istioDuration('Timeout per attempt, e.g. "2s". @default the route\'s timeout').optional(),
    retryOn: z
      .string()
      .regex(/^[a-z0-9-]+(?:,[a-z0-9-]+)*$/, { message: 'a comma-separated list of retry conditions, e.g. "5xx,reset,connect-failure" or status codes' })
      .optional()
      .describe('Envoy retry conditions, comma-separated, e.g. "5xx,gateway-error,reset" or "503". @default Istio\'s default "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"'),
    retryRemoteLocalities: z.boolean().optional().describe('Retry in other localities (not meaningful locally). @default false'),
  })
  .describe('Istio HTTPRetry set on the target route while the experiment runs (the user\'s own retries come back afterwards).');

const tcpSettings = z
  .strictObject({
    maxConnections: int32('Maximum connections to a destination host (Envoy max_connections). @default 2^32-1').optional(),
    connectTimeout: istioDuration('TCP connect timeout. @default "10s"').optional(),
    tcpKeepalive: z
      .strictObject({
        probes: int32('Keepalive probes before the connection is dead.').optional(),
        time: istioDuration('Idle time before probes are sent.').optional(),
        interval: istioDuration('Time between probes.').optional(),
      })
      .optional()
      .describe('SO_KEEPALIVE settings.'),
    maxConnectionDuration: istioDuration('Maximum lifetime of a connection.').optional(),
    idleTimeout: istioDuration('Idle timeout of a TCP connection.').optional(),
  })
  .describe('Istio ConnectionPoolSettings.TCPSettings.');

const httpSettings = z
  .strictObject({
    http1MaxPendingRequests: int32('Requests queued while waiting for a connection (Envoy max_pending_requests). @default 2^32-1').optional(),
    http2MaxRequests: int32('Maximum active requests to a destination (Envoy max_requests). @default 2^32-1').optional(),
    maxRequestsPerConnection: int32('Requests per connection; 1 disables keep-alive. @default 0 (unlimited)').optional(),
    maxRetries: int32('Maximum outstanding retries to a cluster (Envoy max_retries). @default 2^32-1').optional(),
    idleTimeout: istioDuration('Idle timeout of an upstream connection. @default "1h"').optional(),
    h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional().describe('HTTP/2 upgrade policy. @default "DEFAULT"'),
    useClientProtocol: z.boolean().optional().describe('Use the client\'s protocol upstream. @default false'),
    maxConcurrentStreams: int32('Maximum concurrent streams per HTTP/2 connection.').optional(),
  })
  .describe('Istio ConnectionPoolSettings.HTTPSettings.');

/** Istio `ConnectionPoolSettings`: circuit-breaking limits. */
export const connectionPoolSchema = z
  .strictObject({ tcp: tcpSettings.optional(), http: httpSettings.optional() })
  .refine((c) => c.tcp !== undefined || c.http !== undefined, { message: 'a connectionPool needs tcp, http or both' })
  .describe('Istio ConnectionPoolSettings (circuit breaking): tcp and http limits.');

/** Istio `OutlierDetection`. */
export const outlierDetectionSchema = z
  .strictObject({
    consecutive5xxErrors: int32('5xx responses in a row that eject a host (0 disables). @default 5').optional(),
    consecutiveGatewayErrors: int32('502/503/504 responses in a row that eject a host (0 disables). @default 0').optional(),
    consecutiveLocalOriginFailures: int32('Local-origin failures in a row that eject a host (with splitExternalLocalOriginErrors). @default 5').optional(),
    splitExternalLocalOriginErrors: z.boolean().optional().describe('Count local-origin failures apart from 5xx. @default false'),
    interval: istioDuration('Time between ejection sweeps. @default "10s"').optional(),
    baseEjectionTime: istioDuration('Minimum ejection time, multiplied by the number of ejections. @default "30s"').optional(),
    maxEjectionPercent: percent0to100('Most hosts of the pool ejected at once, percent. @default 10').optional(),
    minHealthPercent: percent0to100('Outlier detection pauses while fewer hosts than this are healthy, percent. @default 0').optional(),
  })
  .describe('Istio OutlierDetection: eject endpoints that keep failing.');

const consistentHashSchema = z
  .strictObject({
    httpHeaderName: z.string().min(1).optional().describe('Hash on this request header.'),
    httpCookie: z
      .strictObject({
        name: z.string().min(1).describe('Cookie name.'),
        path: z.string().optional().describe('Cookie path.'),
        ttl: durationText('Lifetime of the generated cookie ("0s": session cookie).', ISTIO_SETTING_WAIT).optional(),
      })
      .optional()
      .describe('Hash on this cookie (generated when absent and ttl is set).'),
    useSourceIp: z.boolean().optional().describe('Hash on the client\'s IP address.'),
    httpQueryParameterName: z.string().min(1).optional().describe('Hash on this query parameter.'),
    ringHash: z.strictObject({ minimumRingSize: int32('Minimum ring size. @default 1024').optional() }).optional().describe('Ketama ring hash.'),
    maglev: z.strictObject({ tableSize: int32('Maglev table size (a prime). @default 65537').optional() }).optional().describe('Maglev hashing.'),
    minimumRingSize: int32('Deprecated: ringHash.minimumRingSize.').optional(),
  })
  .refine((h) => [h.httpHeaderName, h.httpCookie, h.useSourceIp, h.httpQueryParameterName].filter((k) => k !== undefined).length === 1, {
    message: 'a consistentHash takes exactly one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName',
  })
  .refine((h) => !(h.ringHash && h.maglev), { message: 'ringHash and maglev exclude each other' })
  .describe('Istio ConsistentHashLB.');

/** Istio `LoadBalancerSettings` (simple or consistentHash). */
export const loadBalancerSchema = z
  .strictObject({
    simple: z.enum(['UNSPECIFIED', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN']).optional().describe('A simple policy.'),
    consistentHash: consistentHashSchema.optional(),
  })
  .refine((l) => (l.simple === undefined) !== (l.consistentHash === undefined), { message: 'a loadBalancer takes exactly one of simple, consistentHash' })
  .describe('Istio LoadBalancerSettings.');

/** `traffic.policy`: DestinationRule traffic-policy settings applied while the experiment runs. */
export const policySchema = z
  .strictObject({
    destinationRule: k8sName('Name of the DestinationRule to change, in target.namespace. @default the rule whose host is target.host').optional(),
    subset: z.string().min(1).optional().describe('Change this subset\'s trafficPolicy (e.g. the canary\'s). @default the rule\'s top-level trafficPolicy'),
    connectionPool: connectionPoolSchema.optional(),
    outlierDetection: outlierDetectionSchema.optional(),
    loadBalancer: loadBalancerSchema.optional(),
    duration: duration('How long the policy stays applied when the experiment has no shift. @default "30s"', STEP_DURATION).prefault('30s'),
  })
  .refine((p) => p.connectionPool !== undefined || p.outlierDetection !== undefined || p.loadBalancer !== undefined, {
    message: 'a policy needs connectionPool, outlierDetection or loadBalancer',
  })
  .describe(
    'DestinationRule settings applied while the experiment runs (at every step); each one replaces that field of the trafficPolicy whole, as Istio merges settings. The user\'s rule is restored exactly afterwards, and on promotion too.',
  );
