/**
 * DestinationRule `loadBalancer.consistentHash` as Istio translates it: the hash key becomes the
 * route's Envoy `hash_policy` (`httpHeaderName` → header, `httpCookie` → cookie with name, path and
 * ttl, `httpQueryParameterName` → query parameter, `useSourceIp` → source IP) and the cluster uses
 * the ring hash load balancer (`ringHash.minimumRingSize`, default 1024; also the deprecated
 * top-level `minimumRingSize`) or Maglev (`maglev.tableSize`, default 65537).
 */
import { parseTimerDuration } from '../../input/units.js';
import { createMaglev, createRingHash, DEFAULT_MAGLEV_TABLE_SIZE, DEFAULT_MIN_RING_SIZE, type HashTable } from './hash-ring.js';
import type { Endpoint } from './endpoint.js';
import { objectField, type OutlierProblem } from './outlier-config.js';

/** What a request is hashed on. */
export type HashKey =
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string; path: string; ttlSeconds: number | undefined }
  | { kind: 'query'; name: string }
  | { kind: 'sourceIp' };

/** A cluster's consistent hashing. */
export interface ConsistentHashConfig {
  /** The request's hash key. */
  key: HashKey;
  /** Ring hash or Maglev. */
  table: 'ring' | 'maglev';
  /** Minimum ring size (ring) or table size (maglev, a prime). */
  size: number;
}

/** Reads a `consistentHash` object; undefined when absent or unusable (with a problem). */
export function consistentHashConfigOf(raw: unknown, problems: OutlierProblem[]): ConsistentHashConfig | undefined {
  const o = objectField(raw, 'consistentHash', problems);
  if (!o) return undefined;
  const key = keyOf(o, problems);
  if (!key) return undefined;
  const ring = o['ringHash'] as Record<string, unknown> | undefined;
  const maglev = o['maglev'] as Record<string, unknown> | undefined;
  const positive = (v: unknown, path: string, fallback: number): number => {
    if (v === undefined || v === null) return fallback;
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 8_388_608) return n;
    problems.push({ path, message: `${path.split('.').pop()} must be a positive integer; ${fallback} is used` });
    return fallback;
  };
  if (maglev && typeof maglev === 'object') {
    const size = positive(maglev['tableSize'], 'maglev.tableSize', DEFAULT_MAGLEV_TABLE_SIZE);
    if (!isPrime(size) || size > 5_000_011) {
      problems.push({ path: 'maglev.tableSize', message: `Maglev's table size must be a prime up to 5000011 (Envoy refuses ${size}); ${DEFAULT_MAGLEV_TABLE_SIZE} is used` });
      return { key, table: 'maglev', size: DEFAULT_MAGLEV_TABLE_SIZE };
    }
    return { key, table: 'maglev', size };
  }
  const size = ring && typeof ring === 'object'
    ? positive(ring['minimumRingSize'], 'ringHash.minimumRingSize', DEFAULT_MIN_RING_SIZE)
    : positive(o['minimumRingSize'], 'minimumRingSize', DEFAULT_MIN_RING_SIZE);
  return { key, table: 'ring', size };
}

function keyOf(o: Record<string, unknown>, problems: OutlierProblem[]): HashKey | undefined {
  const name = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const header = name(o['httpHeaderName']);
  if (header) return { kind: 'header', name: header.toLowerCase() };
  const cookie = o['httpCookie'] as Record<string, unknown> | undefined;
  if (cookie && typeof cookie === 'object') {
    const cname = name(cookie['name']);
    if (!cname) {
      problems.push({ path: 'httpCookie.name', message: 'httpCookie needs a name; consistent hashing ignored' });
      return undefined;
    }
    let ttlSeconds: number | undefined;
    if (cookie['ttl'] !== undefined) {
      const ms = typeof cookie['ttl'] === 'string' ? parseTimerDuration(cookie['ttl']) : undefined;
      if (ms === undefined) problems.push({ path: 'httpCookie.ttl', message: 'ttl must be a duration such as "3600s"; no cookie is generated' });
      else ttlSeconds = Math.floor(ms / 1000);
    }
    return { kind: 'cookie', name: cname, path: typeof cookie['path'] === 'string' ? cookie['path'] : '', ttlSeconds };
  }
  const query = name(o['httpQueryParameterName']);
  if (query) return { kind: 'query', name: query };
  if (o['useSourceIp'] === true) return { kind: 'sourceIp' };
  problems.push({ path: '', message: 'consistentHash needs httpHeaderName, httpCookie, httpQueryParameterName or useSourceIp; ignored' });
  return undefined;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** The table of the current endpoint set, rebuilt when the set changes (e.g. an ejection). */
export class HashedSet {
  private list: readonly Endpoint[] | undefined;
  private table: HashTable | undefined;

  /** Hashing as `config` says. */
  constructor(readonly config: ConsistentHashConfig) {}

  /** The table over `list` (cached while `list` is the same array). */
  tableFor(list: readonly Endpoint[]): HashTable {
    if (list !== this.list || !this.table) {
      this.list = list;
      this.table = this.config.table === 'maglev' ? createMaglev(list, this.config.size) : createRingHash(list, this.config.size);
    }
    return this.table;
  }
}
