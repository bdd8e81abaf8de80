/**
 * Consistent hashing through the real proxy: three echo replicas per service, each naming itself
 * (x-echo-port). reviews hashes on a header with ring hash; ratings on a cookie with a ttl (so the
 * mesh generates it, as Envoy does) with Maglev.
 */
import { describe, expect, it } from 'vitest';
import type { DestinationRule, VirtualService } from '../../../src/istio/types.js';
import { echo, useMesh } from '../../support/mesh.js';

const rule = (host: string, consistentHash: Record<string, unknown>): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host },
  spec: { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }], trafficPolicy: { loadBalancer: { consistentHash } } },
});
const route = (host: string): VirtualService => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: host },
  spec: { hosts: [host], http: [{ route: [{ destination: { host, subset: 'v1' } }] }] },
});

const local = useMesh(() => ({
  virtualServices: [route('reviews'), route('ratings')],
  destinationRules: [
    rule('reviews', { httpHeaderName: 'x-user', ringHash: { minimumRingSize: 1024 } }),
    rule('ratings', { httpCookie: { name: 'sid', path: '/', ttl: '3600s' }, maglev: { tableSize: 65537 } }),
  ],
  backends: [echo('reviews', 'v1', 'v1', 3), echo('ratings', 'v1', 'v1', 3)],
}));

const portOf = (r: { headers: Record<string, unknown> }) => String(r.headers['x-echo-port']);

describe('consistent hashing', () => {
  it('httpHeaderName: the same header value always reaches the same replica; users spread over replicas', async () => {
    const home = new Map<string, Set<string>>();
    const replies = await local.http.many(300, 8, (i) => ['reviews', { headers: { 'x-user': `user-${i % 30}` } }]);
    replies.forEach((r, i) => {
      expect(r.status).toBe(200);
      const u = `user-${i % 30}`;
      if (!home.has(u)) home.set(u, new Set());
      home.get(u)!.add(portOf(r));
    });
    for (const ports of home.values()) expect(ports.size).toBe(1);
    expect(new Set([...home.values()].map((s) => [...s][0])).size).toBe(3);
    // Without the header the hash is random: the replicas share the requests.
    const noKey = await local.http.many(60, 4, () => ['reviews']);
    expect(new Set(noKey.map(portOf)).size).toBe(3);
  });

  it('httpCookie with ttl: the mesh sets the cookie, and requests carrying it stick to one replica', async () => {
    const first = await local.http.send('ratings');
    expect(first.status).toBe(200);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^sid="[0-9a-f]{16}"; Max-Age=3600; Path=\/; HttpOnly$/);
    const cookie = setCookie.split(';')[0]!;
    const again = await local.http.many(40, 4, () => ['ratings', { headers: { cookie } }]);
    expect(new Set(again.map(portOf))).toEqual(new Set([portOf(first)]));
    expect(again.every((r) => r.headers['set-cookie'] === undefined)).toBe(true);
    // Different cookie values spread over the replicas.
    const others = await local.http.many(60, 4, (i) => ['ratings', { headers: { cookie: `sid="user-${i}"` } }]);
    expect(new Set(others.map(portOf)).size).toBe(3);
  });
});
