/**
 * Live reconfiguration: `applyVirtualService` swaps the route table atomically — no request fails
 * while weights move under load, requests already routed finish on the table they started with,
 * and an invalid VirtualService changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { VirtualService } from '../../../src/istio/types.js';
import { bookinfo, countBy, manifests, type Reply, useMesh } from '../../support/mesh.js';

const reviews = (weights: Record<string, number>, extra: Partial<NonNullable<VirtualService['spec']['http']>[number]> = {}): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ ...extra, route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host: 'reviews', subset }, weight })) }] },
});

const local = useMesh(() => {
  const m = manifests(bookinfo('destination-rule-all.yaml', 'virtual-service-all-v1.yaml'));
  return {
    ...m,
    // Some latency so that many requests are in flight at every swap.
    backends: m.destinationRules.flatMap((dr) => (dr.spec.subsets ?? []).map((s) => ({ host: dr.spec.host, subset: s.name, replicas: 1, readyPath: '/', demo: { latency: { median: 15, p99: 40 }, errorRate: 0 } }))),
  };
});

describe('applyVirtualService', () => {
  it('moves weights under load without a single failed request', async () => {
    const replies: Reply[] = [];
    let stop = false;
    const load = Promise.all(Array.from({ length: 16 }, async () => {
      while (!stop) replies.push(await local.http.send('reviews'));
    }));
    const g0 = local.mesh.generation;
    const steps = [10, 25, 50, 75, 90, 100, 0, 50, 100];
    for (const w of steps) {
      await new Promise((r) => setTimeout(r, 120));
      local.mesh.applyVirtualService(reviews({ v1: 100 - w, v3: w }));
    }
    await new Promise((r) => setTimeout(r, 120));
    stop = true;
    await load;
    expect(local.mesh.generation - g0).toBe(steps.length);
    expect(replies.length).toBeGreaterThan(200);
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    // The last step is 100% v3.
    const after = await local.http.many(100, 8, () => ['reviews']);
    expect(countBy(after, 'x-version')).toEqual({ v3: 100 });
    expect(local.mesh.getVirtualService('default', 'reviews')!.spec.http![0]!.route!.map((d) => d.weight)).toEqual([0, 100]);
  });

  it('requests already routed keep the table they started with', async () => {
    // Old table: a 600 ms delay, then v2. New table: v1, no delay.
    local.mesh.applyVirtualService(reviews({ v2: 100 }, { fault: { delay: { fixedDelay: '600ms', percentage: { value: 100 } } } }));
    const inFlight = local.http.send('reviews');
    await new Promise((r) => setTimeout(r, 150));
    local.mesh.applyVirtualService(reviews({ v1: 100 }));
    const fresh = await local.http.send('reviews');
    const old = await inFlight;
    expect(old.headers['x-version']).toBe('v2');
    expect(old.ms).toBeGreaterThanOrEqual(600);
    expect(fresh.headers['x-version']).toBe('v1');
  });

  it('an invalid VirtualService is refused with every problem and changes nothing', async () => {
    local.mesh.applyVirtualService(reviews({ v1: 100 }));
    const g = local.mesh.generation;
    let err: unknown;
    try {
      local.mesh.applyVirtualService(reviews({ v9: 50, v1: 50 }, { timeout: 'soon' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['spec.http[0].route[0].destination', 'spec.http[0].timeout']);
    expect(local.mesh.generation).toBe(g);
    expect(countBy(await local.http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v1: 20 });
  });

  it('all-zero weights answer 503 "no healthy upstream" with flag UH (no upstream is ever selected)', async () => {
    local.mesh.applyVirtualService(reviews({ v1: 0, v3: 0 }));
    const r = await local.http.send('reviews');
    expect([r.status, r.body]).toEqual([503, 'no healthy upstream']);
    expect(local.mesh.warnings.some((w) => w.path === 'spec.http[0].route' && /UH/.test(w.message))).toBe(true);
    const text = local.mesh.metricsText();
    expect(text).toMatch(/istio_requests_total\{reporter="source",[^}]*destination_service="unknown"[^}]*response_code="503"[^}]*response_flags="UH"[^}]*\} 1/);
    local.mesh.applyVirtualService(reviews({ v1: 100 }));
  });

  it('a new VirtualService for a host already served is added, but the older one keeps the host (with a warning)', async () => {
    const g = local.mesh.generation;
    local.mesh.applyVirtualService({ ...reviews({}), metadata: { name: 'details-canary', namespace: 'default' }, spec: { hosts: ['details'], http: [{ route: [{ destination: { host: 'details', subset: 'v2' } }] }] } });
    expect(local.mesh.generation).toBe(g + 1);
    expect(local.mesh.getVirtualService('default', 'details-canary')).toBeDefined();
    expect(countBy(await local.http.many(10, 2, () => ['details']), 'x-version')).toEqual({ v1: 10 });
    expect(local.mesh.warnings.some((w) => /details-canary: host details.default.svc.cluster.local is already served by VirtualService default\/details/.test(w.message))).toBe(true);
  });
});
