import { describe, expect, it } from 'vitest';
import type { Endpoint, Workload } from './endpoint.js';
import { createLoadBalancer, lbPolicyOf } from './load-balancer.js';
import { createSeededRandom } from '../../seeded-random.js';

const workload: Workload = { service: 's', serviceName: 's', namespace: 'default', subset: 'v1', name: 's-v1', version: 'v1', app: 's', labels: {} };
const eps = (n: number): Endpoint[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, host: '127.0.0.1', port: 1000 + i, workload, active: 0 }));

describe('createLoadBalancer', () => {
  it('ROUND_ROBIN cycles through the endpoints in order', () => {
    const lb = createLoadBalancer('ROUND_ROBIN', eps(3));
    expect(Array.from({ length: 7 }, () => lb.pick(Math.random)!.id)).toEqual(['e0', 'e1', 'e2', 'e0', 'e1', 'e2', 'e0']);
  });

  it('RANDOM spreads uniformly', () => {
    const lb = createLoadBalancer('RANDOM', eps(4));
    const r = createSeededRandom(9);
    const counts = new Map<string, number>();
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const id = lb.pick(r)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // sd of a 1/4 share over 40 000 draws = 0.00217; 5 sigma = 0.011.
    for (const c of counts.values()) expect(Math.abs(c / n - 0.25)).toBeLessThan(0.011);
    expect(counts.size).toBe(4);
  });

  it('LEAST_REQUEST prefers the endpoint with fewer requests in flight (power of two choices)', () => {
    const list = eps(2);
    list[0]!.active = 5;
    const lb = createLoadBalancer('LEAST_REQUEST', list);
    const r = createSeededRandom(5);
    let busy = 0;
    for (let i = 0; i < 1000; i++) if (lb.pick(r) === list[0]) busy++;
    // The busy endpoint wins only when both draws land on it: 1/4 of the time.
    expect(busy / 1000).toBeGreaterThan(0.18);
    expect(busy / 1000).toBeLessThan(0.32);
  });

  it('avoids endpoints already tried, with up to 5 draws as Istio configures', () => {
    const list = eps(2);
    const lb = createLoadBalancer('RANDOM', list);
    const r = createSeededRandom(1);
    let again = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) if (lb.pick(r, [list[0]!]) === list[0]) again++;
    // Five draws all landing on the tried endpoint: p = 1/32 = 0.03125; sd over 4000 = 0.0028; 5 sigma.
    expect(Math.abs(again / n - 1 / 32)).toBeLessThan(0.014);
    const rr = createLoadBalancer('ROUND_ROBIN', eps(2));
    for (let i = 0; i < 10; i++) expect(rr.pick(r, [rr.endpoints[0]!])).toBe(rr.endpoints[1]);
    const one = createLoadBalancer('ROUND_ROBIN', eps(1));
    expect(one.pick(r, one.endpoints)).toBe(one.endpoints[0]);
  });

  it('no endpoints → undefined', () => {
    expect(createLoadBalancer('ROUND_ROBIN', []).pick(Math.random)).toBeUndefined();
  });
});

describe('lbPolicyOf', () => {
  it('maps DestinationRule values', () => {
    expect(lbPolicyOf(undefined)).toBeUndefined();
    expect(lbPolicyOf('UNSPECIFIED')).toBeUndefined();
    expect(lbPolicyOf('RANDOM')).toBe('RANDOM');
    expect(lbPolicyOf('LEAST_CONN')).toBe('LEAST_REQUEST');
    expect(lbPolicyOf('PASSTHROUGH')).toBe('unsupported');
  });
});
