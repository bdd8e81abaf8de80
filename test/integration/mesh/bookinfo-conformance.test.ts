/**
 * Conformance of the local mesh on Bookinfo-shaped manifests (the project's own, test/fixtures/bookinfo/,
 * in the shape of Istio's sample): a real proxy, real HTTP requests routed by Host header.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import type { BackendSpec } from '../../../src/experiment/schema.js';
import { bookinfo, client, countBy, fiveSigma, instant, instantAll, manifests, scrape, startMesh } from '../../support/mesh.js';

type Client = ReturnType<typeof client>;

async function start(files: string[], extra: BackendSpec[] = []) {
  const m = manifests(bookinfo(...files));
  return startMesh({ ...m, backends: [...instantAll(m.destinationRules), ...extra] });
}

describe('Bookinfo: virtual-service-all-v1', () => {
  let mesh: LocalMesh;
  let http: Client;
  beforeAll(async () => ({ mesh, http } = await start(['destination-rule-all.yaml', 'virtual-service-all-v1.yaml'])));
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('routes every service to v1, whatever name or port the Host header uses', async () => {
    const hosts = ['productpage', 'reviews:9080', 'ratings.default.svc.cluster.local', 'details.default', 'REVIEWS'];
    const replies = await http.many(100, 10, (i) => [hosts[i % hosts.length]!, { path: `/p/${i}`, headers: { 'end-user': 'jason' } }]);
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(countBy(replies, 'x-version')).toEqual({ v1: 100 });
    const body = JSON.parse(replies[1]!.body);
    expect(body).toMatchObject({ service: 'reviews', version: 'v1', path: '/p/1' });
  });

  it('also works as an HTTP proxy (absolute-form request line, as HTTP_PROXY clients send)', async () => {
    const { hostname, port } = new URL(mesh.url);
    const reply = await new Promise<{ status: number; version: unknown; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: hostname, port, path: 'http://details:9080/book/1?x=1', headers: { host: 'ignored' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, version: res.headers['x-version'], body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(reply.status).toBe(200);
    expect(reply.version).toBe('v1');
    expect(JSON.parse(reply.body)).toMatchObject({ service: 'details', path: '/book/1?x=1' });
  });

  it('answers 404 with response flag NR for hosts it does not know', async () => {
    const r = await http.send('unknown-service');
    expect(r.status).toBe(404);
    const samples = await scrape(mesh);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', response_code: '404', response_flags: 'NR' })).toBe(1);
  });

  it('is ready, and dumps the configuration it serves', async () => {
    const ready = await fetch(`${mesh.adminUrl}/ready`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
    const dump = (await (await fetch(`${mesh.adminUrl}/config_dump`)).json()) as { virtualServices: Array<{ metadata: { name: string } }> };
    expect(dump.virtualServices.map((v) => v.metadata.name)).toEqual(['productpage', 'reviews', 'ratings', 'details']);
    expect(mesh.warnings).toEqual([]);
  });
});

describe('Bookinfo: virtual-service-reviews-test-v2 (user jason → v2)', () => {
  let mesh: LocalMesh;
  let http: Client;
  // The later file's "reviews" replaces all-v1's, as `kubectl apply` of both would.
  beforeAll(async () => ({ mesh, http } = await start(['destination-rule-all.yaml', 'virtual-service-all-v1.yaml', 'virtual-service-reviews-test-v2.yaml'])));
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('sends end-user: jason to v2 and everyone else to v1', async () => {
    const users = ['jason', 'bob', '', 'Jason', 'jason2'];
    const replies = await http.many(250, 10, (i) => {
      const user = users[i % users.length]!;
      return ['reviews', user ? { headers: { 'end-user': user } } : {}];
    });
    const byUser = new Map<string, Record<string, number>>();
    replies.forEach((r, i) => {
      const user = users[i % users.length]!;
      const c = byUser.get(user) ?? {};
      c[String(r.headers['x-version'])] = (c[String(r.headers['x-version'])] ?? 0) + 1;
      byUser.set(user, c);
    });
    expect(byUser.get('jason')).toEqual({ v2: 50 });
    // exact match is case-sensitive and whole-value.
    for (const u of ['bob', '', 'Jason', 'jason2']) expect(byUser.get(u)).toEqual({ v1: 50 });
  });
});

describe('Bookinfo: virtual-service-reviews-50-v3', () => {
  let mesh: LocalMesh;
  let http: Client;
  beforeAll(async () => ({ mesh, http } = await start(['destination-rule-all.yaml', 'virtual-service-reviews-50-v3.yaml'])));
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('splits 50/50 between v1 and v3 (n = 2000, |share − 0.5| < 5σ = 0.056)', async () => {
    const n = 2000;
    const replies = await http.many(n, 32, () => ['reviews']);
    const counts = countBy(replies, 'x-version');
    expect(Object.keys(counts).sort()).toEqual(['v1', 'v3']);
    expect(Math.abs(counts['v3']! / n - 0.5)).toBeLessThan(fiveSigma(0.5, n));
  });

  it('routes services without a VirtualService to all their subsets (a plain Kubernetes Service)', async () => {
    const replies = await http.many(40, 4, () => ['ratings']);
    // ROUND_ROBIN over ratings' 4 subsets' endpoints, one each: exactly 10 each.
    expect(countBy(replies, 'x-version')).toEqual({ v1: 10, v2: 10, 'v2-mysql': 10, 'v2-mysql-vm': 10 });
  });
});

describe('Bookinfo: destination-rule-reviews (RANDOM) with replicas', () => {
  let mesh: LocalMesh;
  let http: Client;
  beforeAll(async () => ({ mesh, http } = await start(['destination-rule-all.yaml', 'destination-rule-reviews.yaml', 'virtual-service-reviews-v3.yaml'], [
    instant('reviews', 'v3', { replicas: 3 }),
  ])));
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('spreads requests over the replicas of the subset at random', async () => {
    const n = 900;
    const counts = countBy(await http.many(n, 16, () => ['reviews']), 'x-instance');
    expect(Object.keys(counts).sort()).toEqual(['reviews-v3-0', 'reviews-v3-1', 'reviews-v3-2']);
    // Each replica's share is 1/3 within 5 sigma (0.079 at n = 900).
    for (const c of Object.values(counts)) expect(Math.abs(c / n - 1 / 3)).toBeLessThan(fiveSigma(1 / 3, n));
  });
});

describe('Bookinfo: virtual-service-ratings-test-delay (the real 7 s delay for jason)', () => {
  let mesh: LocalMesh;
  let http: Client;
  beforeAll(async () => ({ mesh, http } = await start(['destination-rule-all.yaml', 'virtual-service-all-v1.yaml', 'virtual-service-ratings-test-delay.yaml'])));
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('delays jason by 7 s (flag DI) and nobody else', async () => {
    const [jason, other] = await Promise.all([http.send('ratings', { headers: { 'end-user': 'jason' } }), http.send('ratings')]);
    expect(jason.status).toBe(200);
    expect(jason.headers['x-version']).toBe('v1');
    expect(jason.ms).toBeGreaterThanOrEqual(7000);
    expect(other.status).toBe(200);
    // Not a latency bound: only "clearly not delayed by the fault".
    expect(other.ms).toBeLessThan(6000);
    const samples = await scrape(mesh);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', destination_service_name: 'ratings', response_flags: 'DI' })).toBe(1);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', destination_service_name: 'ratings', response_flags: '-' })).toBe(1);
  }, 30_000);
});
