/**
 * Envoy's consistent-hash tables over a cluster's endpoints (equal weights), keyed by xxHash64:
 *
 * - Ring hash (`RingHashLoadBalancer`): each host gets ceil(minimumRingSize / hosts) points,
 *   the hash of "<address>_<i>"; a request goes to the first point at or after its hash, wrapping
 *   around. Removing one of N hosts moves only the keys that hashed to its points: about 1/N.
 * - Maglev (`MaglevLoadBalancer`): a lookup table of a prime size (65537 by default) filled by
 *   each host in turn taking the next free slot of its permutation, offset = XXH64(address, 0) mod M,
 *   skip = XXH64(address, 1) mod (M − 1) + 1; a request goes to table[hash mod M]. Removing one of
 *   N hosts moves its 1/N of keys plus a little more (the Maglev paper's "minimal disruption").
 */
import type { Endpoint } from './endpoint.js';
import { xxHash64 } from './xxhash64.js';

/** A table mapping a 64-bit hash to an endpoint. */
export interface HashTable {
  /**
   * The endpoint for `hash`; undefined when there are no endpoints. `attempt` > 0 (a retry
   * avoiding hosts already tried) moves that many entries further, as Envoy does.
   */
  lookup(hash: bigint, attempt?: number): Endpoint | undefined;
}

/** Envoy's defaults, as Istio leaves them. */
export const DEFAULT_MIN_RING_SIZE = 1024;
/** Envoy's `MaglevLoadBalancer` default table size. */
export const DEFAULT_MAGLEV_TABLE_SIZE = 65537;
/** Envoy's `maximum_ring_size` default. */
const MAX_RING_SIZE = 8 * 1024 * 1024;

const address = (e: Endpoint) => `${e.host}:${e.port}`;

/** Builds a ring of at least `minRingSize` points. */
export function createRingHash(endpoints: readonly Endpoint[], minRingSize = DEFAULT_MIN_RING_SIZE): HashTable {
  const n = endpoints.length;
  const perHost = n === 0 ? 0 : Math.ceil(Math.min(minRingSize, MAX_RING_SIZE) / n);
  const points: { hash: bigint; ep: Endpoint }[] = [];
  for (const ep of endpoints) {
    const a = address(ep);
    for (let i = 0; i < perHost; i++) points.push({ hash: xxHash64(`${a}_${i}`), ep });
  }
  points.sort((x, y) => (x.hash < y.hash ? -1 : x.hash > y.hash ? 1 : 0));
  const hashes = points.map((p) => p.hash);
  return {
    lookup(hash, attempt = 0) {
      if (points.length === 0) return undefined;
      let lo = 0;
      let hi = hashes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (hashes[mid]! < hash) lo = mid + 1;
        else hi = mid;
      }
      return points[(lo + attempt) % points.length]!.ep;
    },
  };
}

/** Builds a Maglev table of `tableSize` slots (a prime). */
export function createMaglev(endpoints: readonly Endpoint[], tableSize = DEFAULT_MAGLEV_TABLE_SIZE): HashTable {
  const n = endpoints.length;
  const m = BigInt(tableSize);
  const table: (Endpoint | undefined)[] = new Array(tableSize);
  if (n > 0) {
    const offset = endpoints.map((e) => Number(xxHash64(address(e), 0n) % m));
    const skip = endpoints.map((e) => Number(xxHash64(address(e), 1n) % (m - 1n)) + 1);
    const next = new Array<number>(n).fill(0);
    let filled = 0;
    for (let h = 0; filled < tableSize; h = (h + 1) % n) {
      let c = (offset[h]! + skip[h]! * next[h]!) % tableSize;
      while (table[c] !== undefined) {
        next[h]!++;
        c = (offset[h]! + skip[h]! * next[h]!) % tableSize;
      }
      table[c] = endpoints[h];
      next[h]!++;
      filled++;
    }
  }
  return { lookup: (hash, attempt = 0) => (n === 0 ? undefined : table[Number((hash + BigInt(attempt)) % m)]) };
}
