import { describe, expect, it } from 'vitest';
import { consistentHashConfigOf } from './consistent-hash.js';
import type { OutlierProblem } from './outlier-config.js';
import type { Endpoint, Workload } from './endpoint.js';
import { createLoadBalancer } from './load-balancer.js';
import { OutlierDetector } from './outlier-detector.js';
import { xxHash64 } from './xxhash64.js';
import { createSeededRandom } from '../../seeded-random.js';

const workload: Workload = { service: 's', serviceName: 's', namespace: 'default', subset: 'v1', name: 's-v1', version: 'v1', app: 's', labels: {} };
const eps = (n: number): Endpoint[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, host: '127.0.0.1', port: 42000 + i, workload, active: 0 }));

describe('consistentHashConfigOf', () => {
  it('reads each key kind and the table, with Envoy defaults', () => {
    const p: OutlierProblem[] = [];
    expect(consistentHashConfigOf({ httpHeaderName: 'X-User' }, p)).toEqual({ key: { kind: 'header', name: 'x-user' }, table: 'ring', size: 1024 });
    expect(consistentHashConfigOf({ httpCookie: { name: 'sid', path: '/', ttl: '3600s' }, ringHash: { minimumRingSize: 2048 } }, p))
      .toEqual({ key: { kind: 'cookie', name: 'sid', path: '/', ttlSeconds: 3600 }, table: 'ring', size: 2048 });
    expect(consistentHashConfigOf({ httpQueryParameterName: 'u', maglev: {} }, p)).toEqual({ key: { kind: 'query', name: 'u' }, table: 'maglev', size: 65537 });
    expect(consistentHashConfigOf({ useSourceIp: true, minimumRingSize: 64 }, p)).toEqual({ key: { kind: 'sourceIp' }, table: 'ring', size: 64 });
    expect(p).toEqual([]);
  });

  it('reports what it cannot use', () => {
    const p: OutlierProblem[] = [];
    expect(consistentHashConfigOf({}, p)).toBeUndefined();
    expect(consistentHashConfigOf({ httpCookie: { ttl: '1s' } }, p)).toBeUndefined();
    expect(consistentHashConfigOf({ useSourceIp: true, maglev: { tableSize: 1000 } }, p)).toMatchObject({ table: 'maglev', size: 65537 });
    expect(p.map((x) => x.path)).toEqual(['', 'httpCookie.name', 'maglev.tableSize']);
  });
});

describe('load balancer with consistent hashing', () => {
  it('the same key always reaches the same endpoint; keys spread over all endpoints', () => {
    for (const table of ['ring', 'maglev'] as const) {
      const lb = createLoadBalancer('ROUND_ROBIN', eps(5), undefined, { key: { kind: 'header', name: 'x' }, table, size: table === 'ring' ? 1024 : 65537 });
      const r = createSeededRandom(3);
      const seen = new Set<string>();
      for (let u = 0; u < 200; u++) {
        const h = xxHash64(`user-${u}`);
        const first = lb.pick(r, undefined, h)!;
        for (let i = 0; i < 5; i++) expect(lb.pick(r, undefined, h)).toBe(first);
        seen.add(first.id);
      }
      expect(seen.size).toBe(5);
    }
  });

  it('a retry avoids the endpoint tried; no key → a random hash; ejection rebuilds the table without the host', () => {
    const list = eps(4);
    let t = 0;
    const od = new OutlierDetector('c', { consecutive5xx: 1, consecutiveGateway: 0, intervalMs: 1000, baseEjectionMs: 1000, maxEjectionMs: 300_000, maxEjectionPercent: 100, minHealthPercent: 0 }, list, () => t, undefined);
    const lb = createLoadBalancer('ROUND_ROBIN', list, od, { key: { kind: 'header', name: 'x' }, table: 'ring', size: 1024 });
    const r = createSeededRandom(7);
    const h = xxHash64('alice');
    const home = lb.pick(r, undefined, h)!;
    expect(lb.pick(r, [home], h)).not.toBe(home);
    const noKey = new Set(Array.from({ length: 200 }, () => lb.pick(r)!.id));
    expect(noKey.size).toBe(4);
    od.report(home, 500);
    const away = lb.pick(r, undefined, h)!;
    expect(away).not.toBe(home);
    t += 1000;
    expect(lb.pick(r, undefined, h)).toBe(home);
  });
});
