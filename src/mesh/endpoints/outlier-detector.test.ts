import { describe, expect, it } from 'vitest';
import type { Endpoint, Workload } from './endpoint.js';
import type { OutlierConfig } from './outlier-config.js';
import { OutlierDetector, type OutlierEvent } from './outlier-detector.js';
import { createLoadBalancer } from './load-balancer.js';

const workload: Workload = { service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default', subset: 'v2', name: 'reviews-v2', version: 'v2', app: 'reviews', labels: {} };
const eps = (n: number): Endpoint[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, host: '127.0.0.1', port: 4000 + i, workload, active: 0 }));
const base: OutlierConfig = { consecutive5xx: 5, consecutiveGateway: 0, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionMs: 300_000, maxEjectionPercent: 100, minHealthPercent: 0 };

function setup(n: number, cfg: Partial<OutlierConfig> = {}) {
  let t = 0;
  const events: OutlierEvent[] = [];
  const list = eps(n);
  const od = new OutlierDetector('outbound|80|v2|reviews.default.svc.cluster.local', { ...base, ...cfg }, list, () => t, (e) => events.push(e));
  return { od, list, events, advance: (ms: number) => (t += ms), now: () => t };
}
const fail = (od: OutlierDetector, ep: Endpoint, times: number, status = 500) => {
  for (let i = 0; i < times; i++) od.report(ep, status);
};

describe('OutlierDetector', () => {
  it('ejects on the 5th consecutive 5xx, not before, and a success resets the count', () => {
    const { od, list, events } = setup(2);
    fail(od, list[0]!, 4);
    od.report(list[0]!, 200);
    fail(od, list[0]!, 4);
    expect(od.isEjected(list[0]!)).toBe(false);
    od.report(list[0]!, 500);
    expect(od.isEjected(list[0]!)).toBe(true);
    expect(od.available).toEqual([list[1]]);
    expect(events.map((e) => e.message)).toEqual(['ejected 127.0.0.1:4000 of reviews v2 after 5 consecutive 5xx']);
    expect(od.counters).toMatchObject({
      'outlier_detection.ejections_enforced_total': 1,
      'outlier_detection.ejections_active': 1,
      'outlier_detection.ejections_enforced_consecutive_5xx': 1,
      'outlier_detection.ejections_enforced_consecutive_gateway_failure': 0,
    });
  });

  it('consecutive gateway errors count only 502/503/504; a 500 breaks the run', () => {
    const { od, list } = setup(3, { consecutive5xx: 0, consecutiveGateway: 3 });
    fail(od, list[0]!, 2, 503);
    od.report(list[0]!, 500);
    fail(od, list[0]!, 2, 502);
    expect(od.isEjected(list[0]!)).toBe(false);
    od.report(list[0]!, 504);
    expect(od.isEjected(list[0]!)).toBe(true);
    expect(od.counters['outlier_detection.ejections_enforced_consecutive_gateway_failure']).toBe(1);
    expect(od.counters['outlier_detection.ejections_enforced_consecutive_5xx']).toBe(0);
  });

  it('returns the host at the first sweep after baseEjectionTime; the next ejection lasts twice as long', () => {
    const { od, list, events, advance } = setup(2);
    advance(3_000);
    fail(od, list[0]!, 5);
    advance(26_999); // t = 29 999: sweeps at 10 s and 20 s passed, 30 s not yet
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(true);
    advance(1); // sweep at 30 s: ejected 27 s only
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(true);
    advance(10_000); // sweep at 40 s: 37 s >= 30 s
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(false);
    expect(events[1]).toMatchObject({ kind: 'uneject', at: 40_000, message: 'returned 127.0.0.1:4000 of reviews v2 to service after 37000 ms ejected' });
    expect(od.available).toEqual(list);
    expect(od.counters['outlier_detection.ejections_active']).toBe(0);
    // Ejected again before any healthy sweep lowered the multiplier: 2 × 30 s.
    fail(od, list[0]!, 5); // t = 40 000
    advance(50_000); // sweep at 90 s: 50 s < 60 s
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(true);
    advance(10_000); // sweep at 100 s: 60 s
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(false);
    expect(od.counters['outlier_detection.ejections_enforced_total']).toBe(2);
  });

  it('healthy sweeps lower the multiplier back', () => {
    const { od, list, advance } = setup(2, { intervalMs: 1000, baseEjectionMs: 1000 });
    fail(od, list[0]!, 5); // multiplier 1
    advance(1000); // sweep: returned
    od.tick();
    fail(od, list[0]!, 5); // multiplier 2
    advance(2000);
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(false);
    advance(5000); // healthy sweeps: multiplier back to 0
    od.tick();
    fail(od, list[0]!, 5); // multiplier 1 again: back after 1 s
    advance(1000);
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(false);
  });

  it('maxEjectionPercent: ejects only while fewer than that share are ejected (Envoy counts the hosts already out)', () => {
    const { od, list } = setup(10, { maxEjectionPercent: 20 });
    for (const ep of list.slice(0, 4)) fail(od, ep, 5);
    expect(list.filter((e) => od.isEjected(e))).toHaveLength(2);
    expect(od.counters['outlier_detection.ejections_overflow']).toBe(2);
    // Istio's default 10% with 2 hosts still ejects one: 0% < 10%.
    const two = setup(2, { maxEjectionPercent: 10 });
    fail(two.od, two.list[0]!, 5);
    fail(two.od, two.list[1]!, 5);
    expect(two.od.available).toEqual([two.list[1]]);
  });

  it('minHealthPercent: below it, every host is used again (panic)', () => {
    const { od, list } = setup(4, { minHealthPercent: 60 });
    fail(od, list[0]!, 5);
    expect(od.available).toHaveLength(3); // 75% healthy
    fail(od, list[1]!, 5);
    expect(od.available).toEqual(list); // 50% < 60%: panic
    expect(od.counters['outlier_detection.ejections_active']).toBe(2);
  });

  it('a long idle period is caught up without replaying every sweep', () => {
    const { od, list, advance } = setup(2, { intervalMs: 1 });
    fail(od, list[0]!, 5);
    advance(1e9);
    od.tick();
    expect(od.isEjected(list[0]!)).toBe(false);
  });

  it('the load balancer skips ejected endpoints and takes them back', () => {
    const { od, list, advance } = setup(3);
    const lb = createLoadBalancer('ROUND_ROBIN', list, od);
    fail(od, list[1]!, 5);
    expect(Array.from({ length: 6 }, () => lb.pick(Math.random)!.id)).toEqual(['e0', 'e2', 'e0', 'e2', 'e0', 'e2']);
    advance(30_000);
    const seen = new Set(Array.from({ length: 6 }, () => lb.pick(Math.random)!.id));
    expect(seen).toEqual(new Set(['e0', 'e1', 'e2']));
    const all = setup(1);
    const lone = createLoadBalancer('RANDOM', all.list, all.od);
    fail(all.od, all.list[0]!, 5);
    expect(lone.pick(Math.random)).toBeUndefined();
  });
});
