/**
 * Endpoint selection inside a cluster (DestinationRule `trafficPolicy.loadBalancer.simple`):
 * ROUND_ROBIN (the default), LEAST_REQUEST (Envoy's power of two choices on requests in flight) and
 * RANDOM. On a retry the endpoints already tried are avoided when possible (Istio's default
 * `previous_hosts` predicate, up to 5 selection attempts as Istio configures). With an outlier
 * detector the balancer picks among the endpoints it has not ejected. With consistent hashing
 * (`consistent-hash.ts`) the request's hash picks through a ring-hash or Maglev table instead;
 * a request without a hash key gets a random hash, as in Envoy.
 */
import type { Endpoint } from './endpoint.js';
import type { OutlierDetector } from './outlier-detector.js';
import { type ConsistentHashConfig, HashedSet } from './consistent-hash.js';

/** Supported policies. */
export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM';

/** Picks an endpoint for one try. */
export interface LoadBalancer {
  /** The policy in use. */
  readonly policy: LbPolicy;
  /** Endpoints it chooses from. */
  readonly endpoints: readonly Endpoint[];
  /** The cluster's outlier detector, when the DestinationRule configures one. */
  readonly outlier: OutlierDetector | undefined;
  /** The cluster's consistent hashing, when the DestinationRule configures it. */
  readonly hash: ConsistentHashConfig | undefined;
  /**
   * One endpoint, avoiding `tried` when possible; undefined when there are no endpoints.
   * `hashKey` is the request's hash (consistent hashing only).
   */
  pick(random: () => number, tried?: readonly Endpoint[], hashKey?: bigint): Endpoint | undefined;
}

/** How many draws a retry makes to find an endpoint not tried yet (Istio's host_selection_retry_max_attempts). */
const HOST_SELECTION_ATTEMPTS = 5;

/**
 * Creates a balancer over `endpoints` (shared objects: `active` counts are per endpoint); with
 * `outlier`, over the endpoints it leaves in service.
 */
export function createLoadBalancer(policy: LbPolicy, endpoints: readonly Endpoint[], outlier?: OutlierDetector, hash?: ConsistentHashConfig): LoadBalancer {
  let next = 0;
  const hashed = hash ? new HashedSet(hash) : undefined;
  const once = (random: () => number, list: readonly Endpoint[]): Endpoint | undefined => {
    const n = list.length;
    if (n === 0) return undefined;
    if (n === 1) return list[0];
    switch (policy) {
      case 'RANDOM':
        return list[Math.floor(random() * n)];
      case 'LEAST_REQUEST': {
        const a = list[Math.floor(random() * n)]!;
        const b = list[Math.floor(random() * n)]!;
        return b.active < a.active ? b : a;
      }
      default: {
        if (next >= n) next = 0;
        const e = list[next]!;
        next = next + 1 === n ? 0 : next + 1;
        return e;
      }
    }
  };
  return {
    policy,
    endpoints,
    outlier,
    hash,
    pick(random, tried, hashKey) {
      let list = endpoints;
      if (outlier !== undefined) {
        outlier.tick();
        list = outlier.available;
      }
      if (hashed !== undefined) return pickHashed(hashed, list, random, tried, hashKey);
      const n = list.length;
      let e = once(random, list);
      if (!tried || tried.length === 0 || n <= 1) return e;
      for (let i = 1; i < HOST_SELECTION_ATTEMPTS && e && tried.includes(e); i++) e = once(random, list);
      return e;
    },
  };
}

function pickHashed(hashed: HashedSet, list: readonly Endpoint[], random: () => number, tried: readonly Endpoint[] | undefined, hashKey: bigint | undefined): Endpoint | undefined {
  const table = hashed.tableFor(list);
  // No key on the request: Envoy hashes on a random value.
  const h = hashKey ?? BigInt(Math.floor(random() * 2 ** 32)) * 0x100000000n + BigInt(Math.floor(random() * 2 ** 32));
  let e = table.lookup(h);
  if (!tried || tried.length === 0 || list.length <= 1) return e;
  for (let i = 1; i < HOST_SELECTION_ATTEMPTS && e && tried.includes(e); i++) e = table.lookup(h, i);
  return e;
}

/** Reads a DestinationRule `simple` value; undefined means "not set here". */
export function lbPolicyOf(simple: unknown): LbPolicy | 'unsupported' | undefined {
  if (simple === undefined || simple === 'UNSPECIFIED') return undefined;
  if (simple === 'ROUND_ROBIN' || simple === 'LEAST_REQUEST' || simple === 'RANDOM') return simple;
  // LEAST_CONN is Istio's deprecated alias of LEAST_REQUEST.
  if (simple === 'LEAST_CONN') return 'LEAST_REQUEST';
  return 'unsupported';
}
