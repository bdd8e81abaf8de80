/**
 * Envoy's response flags as Istio's `response_flags` label carries them (the short form of Envoy's
 * access-log `%RESPONSE_FLAGS%`), for the response-flag SLO. Source: Envoy's access-log format
 * reference, https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage
 * ("%RESPONSE_FLAGS%"). Several flags on one request are joined by commas ("UT,URX").
 */

/** Each flag and what it means, in Envoy's words shortened. */
export const RESPONSE_FLAGS = {
  UH: 'no healthy upstream host',
  UF: 'upstream connection failure',
  UO: 'upstream overflow (circuit breaking)',
  NR: 'no route configured',
  URX: 'upstream retry limit exceeded',
  NC: 'upstream cluster not found',
  DT: 'request or connection exceeded max_connection_duration',
  DC: 'downstream connection termination',
  LH: 'local service failed its health check',
  UT: 'upstream request timeout',
  LR: 'connection local reset',
  UR: 'upstream remote reset',
  UC: 'upstream connection termination',
  DI: 'request delayed by fault injection',
  FI: 'request aborted by fault injection',
  RL: 'rate-limited locally',
  UAEX: 'denied by the external authorization service',
  RLSE: 'rate-limit service error',
  IH: 'invalid value in a strictly checked header',
  SI: 'stream idle timeout',
  DPE: 'downstream protocol error',
  UPE: 'upstream protocol error',
  UMSDR: 'upstream max stream duration reached',
  OM: 'overload manager terminated the request',
  DF: 'DNS resolution failed',
  DO: 'dropped by the overload manager',
  DR: 'drop_overload: dropped by the load balancer',
} as const;

/** A flag name, e.g. "UO". */
export type ResponseFlag = keyof typeof RESPONSE_FLAGS;

/** Every flag name, in Envoy's documented order. */
export const RESPONSE_FLAG_NAMES = Object.keys(RESPONSE_FLAGS) as [ResponseFlag, ...ResponseFlag[]];

/**
 * Flags given before any upstream host is chosen: such a request never reaches a version, so
 * Istio's source reporter (and the local mesh) label it `destination_version="unknown"` and only
 * subject "all" can count it.
 */
export const FLAGS_BEFORE_A_HOST: ReadonlySet<ResponseFlag> = new Set<ResponseFlag>(['UH', 'UO', 'NR', 'NC', 'FI', 'RL', 'UAEX', 'RLSE', 'DO', 'DR']);

/** True when `flags` (the label value, e.g. "UT,URX" or "-") contains `flag`. */
export function hasResponseFlag(flags: string, flag: string): boolean {
  return flags === flag || flags.split(',').includes(flag);
}

/**
 * Flags the local mesh gives in an answer of its own after a try (a timeout, a failed or cut
 * connection): it files those under no version either (`destination_version="unknown"`, as its
 * other local answers), so with provider local only subject "all" counts them.
 */
export const FLAGS_LOCAL_ANSWERS: ReadonlySet<ResponseFlag> = new Set<ResponseFlag>(['UT', 'UF', 'UC']);
