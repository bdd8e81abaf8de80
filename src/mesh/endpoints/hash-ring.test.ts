import { describe, expect, it } from 'vitest';
import type { Endpoint, Workload } from './endpoint.js';
import { createMaglev, createRingHash, type HashTable } from './hash-ring.js';
import { xxHash64 } from './xxhash64.js';

const workload: Workload = { service: 's', serviceName: 's', namespace: 'default', subset: 'v1', name: 's-v1', version: 'v1', app: 's', labels: {} };
const eps = (n: number): Endpoint[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, host: '127.0.0.1', port: 41000 + i, workload, active: 0 }));
const keys = Array.from({ length: 10_000 }, (_, i) => xxHash64(`user-${i}`));

/** Share of keys whose endpoint changes when endpoint 3 of 10 leaves, and whether only its keys moved. */
function disruption(build: (list: readonly Endpoint[]) => HashTable) {
  const list = eps(10);
  const before = build(list);
  const after = build(list.filter((_, i) => i !== 3));
  let moved = 0;
  let movedFromOthers = 0;
  const shares = new Map<string, number>();
  for (const k of keys) {
    const a = before.lookup(k)!;
    const b = after.lookup(k)!;
    shares.set(a.id, (shares.get(a.id) ?? 0) + 1);
    expect(b.id).not.toBe('e3');
    if (a !== b) {
      moved++;
      if (a.id !== 'e3') movedFromOthers++;
    }
  }
  return { moved: moved / keys.length, movedFromOthers: movedFromOthers / keys.length, shares: [...shares.values()].map((c) => c / keys.length) };
}

describe('ring hash', () => {
  it('same key → same endpoint while the set is unchanged', () => {
    const list = eps(10);
    const ring = createRingHash(list);
    const again = createRingHash(list);
    const first = keys.slice(0, 500).map((k) => ring.lookup(k));
    expect(keys.slice(0, 500).map((k) => ring.lookup(k))).toEqual(first);
    expect(keys.slice(0, 500).map((k) => again.lookup(k))).toEqual(first);
    expect(new Set(first).size).toBe(10);
  });

  it('removing 1 of 10 endpoints (ring 1024): its ~1/10 of keys move, plus those the others\' extra points take', () => {
    // Envoy gives each host ceil(1024 / hosts) points: 103 with 10 hosts, 114 with 9, so the
    // survivors' 11 new points each also take keys (measured: 16.9% moved, 6.8% from survivors).
    const d = disruption((l) => createRingHash(l, 1024));
    expect(d.moved).toBeGreaterThan(0.05);
    expect(d.moved).toBeLessThan(0.2);
    expect(d.movedFromOthers).toBeLessThan(0.1);
    // 103 points per host: each host's share stays within 1/10 ± 0.05.
    for (const s of d.shares) expect(Math.abs(s - 0.1)).toBeLessThan(0.05);
  });

  it('when the points per host do not change, only the leaving endpoint\'s keys move', () => {
    // minimumRingSize 81: 9 points per host with 10 hosts and with 9.
    const d = disruption((l) => createRingHash(l, 81));
    expect(d.movedFromOthers).toBe(0);
    expect(d.moved).toBeGreaterThan(0.02);
    expect(d.moved).toBeLessThan(0.25);
  });

  it('an empty set has no endpoint; one endpoint takes every key', () => {
    expect(createRingHash([]).lookup(1n)).toBeUndefined();
    const one = eps(1);
    expect(keys.slice(0, 50).every((k) => createRingHash(one, 16).lookup(k) === one[0])).toBe(true);
  });
});

describe('maglev', () => {
  it('fills the table evenly: every endpoint owns floor or ceil of M/N slots', () => {
    const list = eps(10);
    const m = 65537;
    const t = createMaglev(list, m);
    const owned = new Map<string, number>();
    for (let i = 0; i < m; i++) {
      const id = t.lookup(BigInt(i))!.id;
      owned.set(id, (owned.get(id) ?? 0) + 1);
    }
    // 65537 = 10 × 6553 + 7.
    expect([...owned.values()].sort()).toEqual([6553, 6553, 6553, 6554, 6554, 6554, 6554, 6554, 6554, 6554]);
  });

  it('removing 1 of 10 endpoints moves its keys plus a bounded few: under 2/10 in all', () => {
    const d = disruption((l) => createMaglev(l));
    // Measured: 10.6% moved, 0.17% of them from survivors.
    expect(d.moved).toBeGreaterThan(0.08);
    expect(d.moved).toBeLessThan(0.2);
    expect(d.movedFromOthers).toBeLessThan(0.1);
    for (const s of d.shares) expect(Math.abs(s - 0.1)).toBeLessThan(0.02);
  });
});
