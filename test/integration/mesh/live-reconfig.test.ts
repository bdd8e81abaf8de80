/**
 * Live reconfiguration: `applyVirtualService` swaps the route table atomically — no request fails
 * while weights move under load, requests already routed finish on the table they started with,
 * and an invalid VirtualService changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { VirtualService } from '../../../src/istio/types.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import { bookinfo, client, countBy, manifests, type Reply } from '../../support/mesh.js';

let mesh: LocalMesh;
let http: ReturnType<typeof client>;

const reviews = (weights: Record<string, number>, extra: Partial<NonNullable<VirtualService['spec']['http']>[number]> = {}): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ ...extra, route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host: 'reviews', subset }, weight })) }] },
});

beforeAll(async () => {
  const m = manifests(bookinfo('destination-rule-all.yaml', 'virtual-service-all-v1.yaml'));
  mesh = await createLocalMesh({
    ...m,
    // Some latency so that many requests are in flight at every swap.
    backends: m.destinationRules.flatMap((dr) => (dr.spec.subsets ?? []).map((s) => ({ host: dr.spec.host, subset: s.name, replicas: 1, readyPath: '/', demo: { latency: { median: 15, p99: 40 }, errorRate: 0 } }))),
    listen: '127.0.0.1:0',
    admin: '127.0.0.1:0',
  });
  http = client(mesh);
});
afterAll(async () => {
  await http.close();
  await mesh.close();
});

describe('applyVirtualService', () => {
  it('moves weights under load without a single failed request', async () => {
    const replies: Reply[] = [];
    let stop = false;
    const load = Promise.all(Array.from({ length: 16 }, async () => {
      while (!stop) replies.push(await http.send('reviews'));
    }));
    const g0 = mesh.generation;
    const steps = [10, 25, 50, 75, 90, 100, 0, 50, 100];
    for (const w of steps) {
      await new Promise((r) => setTimeout(r, 120));
      mesh.applyVirtualService(reviews({ v1: 100 - w, v3: w }));
    }
    await new Promise((r) => setTimeout(r, 120));
    stop = true;
    await load;
    expect(mesh.generation - g0).toBe(steps.length);
    expect(replies.length).toBeGreaterThan(200);
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    // The last step is 100% v3.
    const after = await http.many(100, 8, () => ['reviews']);
    expect(countBy(after, 'x-version')).toEqual({ v3: 100 });
    expect(mesh.getVirtualService('default', 'reviews')!.spec.http![0]!.route!.map((d) => d.weight)).toEqual([0, 100]);
  });

  it('requests already routed keep the table they started with', async () => {
    // Old table: a 600 ms delay, then v2. New table: v1, no delay.
    mesh.applyVirtualService(reviews({ v2: 100 }, { fault: { delay: { fixedDelay: '600ms', percentage: { value: 100 } } } }));
    const inFlight = http.send('reviews');
    await new Promise((r) => setTimeout(r, 150));
    mesh.applyVirtualService(reviews({ v1: 100 }));
    const fresh = await http.send('reviews');
    const old = await inFlight;
    expect(old.headers['x-version']).toBe('v2');
    expect(old.ms).toBeGreaterThanOrEqual(600);
    expect(fresh.headers['x-version']).toBe('v1');
  });

  it('an invalid VirtualService is refused with every problem and changes nothing', async () => {
    mesh.applyVirtualService(reviews({ v1: 100 }));
    const g = mesh.generation;
    let err: unknown;
    try {
      mesh.applyVirtualService(reviews({ v9: 50, v1: 50 }, { timeout: 'soon' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['spec.http[0].route[0].destination', 'spec.http[0].timeout']);
    expect(mesh.generation).toBe(g);
    expect(countBy(await http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v1: 20 });
  });

  it('all-zero weights answer 503 "no healthy upstream" with flag UH (no upstream is ever selected)', async () => {
    mesh.applyVirtualService(reviews({ v1: 0, v3: 0 }));
    const r = await http.send('reviews');
    expect([r.status, r.body]).toEqual([503, 'no healthy upstream']);
    expect(mesh.warnings.some((w) => w.path === 'spec.http[0].route' && /UH/.test(w.message))).toBe(true);
    const text = mesh.metricsText();
    expect(text).toMatch(/istio_requests_total\{reporter="source",[^}]*destination_service="unknown"[^}]*response_code="503"[^}]*response_flags="UH"[^}]*\} 1/);
    mesh.applyVirtualService(reviews({ v1: 100 }));
  });

  it('a new VirtualService for a host already served is added, but the older one keeps the host (with a warning)', async () => {
    const g = mesh.generation;
    mesh.applyVirtualService({ ...reviews({}), metadata: { name: 'details-canary', namespace: 'default' }, spec: { hosts: ['details'], http: [{ route: [{ destination: { host: 'details', subset: 'v2' } }] }] } });
    expect(mesh.generation).toBe(g + 1);
    expect(mesh.getVirtualService('default', 'details-canary')).toBeDefined();
    expect(countBy(await http.many(10, 2, () => ['details']), 'x-version')).toEqual({ v1: 10 });
    expect(mesh.warnings.some((w) => /details-canary: host details.default.svc.cluster.local is already served by VirtualService default\/details/.test(w.message))).toBe(true);
  });
});
