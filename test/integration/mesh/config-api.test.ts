/**
 * The mesh's VirtualService API (admin address, /config/virtualservices/<ns>/<name>) on a real
 * mesh: GET with a resourceVersion, PUT that the proxy serves as soon as it answers, and every
 * refusal — 400 malformed, 403 not loopback, 404 unknown, 405 read-only, 409 stale version, 422
 * an object the mesh's own load rules reject — each changing nothing.
 */
import { networkInterfaces } from 'node:os';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationRule, VirtualService } from '../../../src/istio/types.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import { bookinfo, client, instantAll, manifests } from '../../support/mesh.js';

const { virtualServices, destinationRules } = manifests(bookinfo('destination-rule-reviews.yaml', 'virtual-service-reviews-v3.yaml'));
let mesh: LocalMesh;
let readOnly: LocalMesh;
const path = '/config/virtualservices/default/reviews';

beforeAll(async () => {
  // v3 (the one routed to) answers after 100 ms, so concurrent requests overlap and a connection pool limits them.
  const backends = instantAll(destinationRules).map((b) => (b.subset === 'v3' ? { ...b, demo: { latency: { median: 100, p99: 100 }, errorRate: 0 } } : b));
  const common = { virtualServices, destinationRules, backends, listen: '127.0.0.1:0' };
  // Admin on all interfaces, so the 403 test can come from a non-loopback address of this machine.
  mesh = await createLocalMesh({ ...common, admin: '0.0.0.0:0', configWrites: true });
  readOnly = await createLocalMesh({ ...common, admin: '127.0.0.1:0' });
});
afterAll(async () => {
  await mesh?.close();
  await readOnly?.close();
});

async function call(base: string, method: 'GET' | 'PUT', body?: unknown, raw?: string) {
  const res = await request(`${base}${path}`, { method, ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}) });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> & { resourceVersion: string; virtualService: VirtualService } };
}
const adminOf = (m: LocalMesh) => m.adminUrl.replace('0.0.0.0', '127.0.0.1');
const toSubset = (vs: VirtualService, subset: string): VirtualService => ({
  ...vs,
  spec: { ...vs.spec, http: [{ route: [{ destination: { host: 'reviews', subset } }] }] },
});

describe('admin API: /config/virtualservices', () => {
  it('GET answers the object in force with its resourceVersion; /info names the proxy', async () => {
    const got = await call(adminOf(mesh), 'GET');
    expect(got.status).toBe(200);
    expect(got.json.virtualService).toEqual(mesh.getVirtualService('default', 'reviews'));
    expect(got.json.resourceVersion).toMatch(/^\d+$/);
    const info = await request(`${adminOf(mesh)}/info`);
    expect(await info.body.json()).toMatchObject({ proxyUrl: mesh.url, namespace: 'default', configWrites: true });
  });

  it('PUT replaces the VirtualService; the proxy serves the new routes when PUT returns; a stale version is 409', async () => {
    const send = client(mesh);
    expect((await send.send('reviews')).headers['x-version']).toBe('v3');
    const before = await call(adminOf(mesh), 'GET');
    const put = await call(adminOf(mesh), 'PUT', { resourceVersion: before.json.resourceVersion, virtualService: toSubset(before.json.virtualService, 'v2') });
    expect(put.status).toBe(200);
    expect(put.json.resourceVersion).not.toBe(before.json.resourceVersion);
    // No wait between PUT and the request: the swap is done when the answer is sent.
    expect((await send.send('reviews')).headers['x-version']).toBe('v2');
    const stale = await call(adminOf(mesh), 'PUT', { resourceVersion: before.json.resourceVersion, virtualService: before.json.virtualService });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toContain(`changed since resourceVersion ${before.json.resourceVersion}`);
    expect((await send.send('reviews')).headers['x-version']).toBe('v2');
    // Unconditional replace (no resourceVersion) puts the original back.
    expect((await call(adminOf(mesh), 'PUT', { virtualService: before.json.virtualService })).status).toBe(200);
    expect((await send.send('reviews')).headers['x-version']).toBe('v3');
    await send.close();
  });

  it('rejects what the mesh would reject on load (422), malformed requests (400) and unknown objects (404), changing nothing', async () => {
    const { json: current } = await call(adminOf(mesh), 'GET');
    const unknownSubset = await call(adminOf(mesh), 'PUT', { virtualService: toSubset(current.virtualService, 'v9') });
    expect(unknownSubset.status).toBe(422);
    expect(JSON.stringify(unknownSubset.json.problems)).toContain('has no subset \\"v9\\"');
    const badShape = await call(adminOf(mesh), 'PUT', { virtualService: { ...current.virtualService, apiVersion: 'v0' } });
    expect(badShape.status).toBe(422);
    expect(badShape.json.problems).toEqual([expect.objectContaining({ path: 'virtualService.apiVersion' })]);
    expect((await call(adminOf(mesh), 'PUT', undefined, '{"virtualService": ')).status).toBe(400);
    expect((await call(adminOf(mesh), 'PUT', { resourceVersion: 3, virtualService: current.virtualService })).status).toBe(400);
    const renamed = await call(adminOf(mesh), 'PUT', { virtualService: { ...current.virtualService, metadata: { name: 'ratings', namespace: 'default' } } });
    expect([renamed.status, renamed.json.message]).toEqual([400, 'the body is VirtualService default/ratings, the URL names default/reviews']);
    const missing = await request(`${adminOf(mesh)}/config/virtualservices/default/nope`);
    expect(missing.statusCode).toBe(404);
    await missing.body.text();
    expect((await call(adminOf(mesh), 'GET')).json.resourceVersion).toBe(current.resourceVersion);
  });

  it('refuses writes on a mesh started without configWrites (405), and from a non-loopback peer (403)', async () => {
    const { json } = await call(readOnly.adminUrl, 'GET');
    const refused = await call(readOnly.adminUrl, 'PUT', { virtualService: json.virtualService });
    expect(refused.status).toBe(405);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) return console.log('skipped the 403 check: this machine has no non-loopback IPv4 address');
    const port = new URL(adminOf(mesh)).port;
    const res = await request(`http://${external}:${port}${path}`, { method: 'PUT', body: JSON.stringify({ virtualService: json.virtualService }) });
    expect(res.statusCode).toBe(403);
    expect(((await res.body.json()) as { message: string }).message).toContain('loopback only');
  });
});

describe('admin API: /config/destinationrules', () => {
  const rulePath = '/config/destinationrules/default/reviews';
  async function callRule(base: string, method: 'GET' | 'PUT', body?: unknown) {
    const res = await request(`${base}${rulePath}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> & { resourceVersion: string; destinationRule: DestinationRule } };
  }
  const dump = async () => (await (await request(`${adminOf(mesh)}/config_dump`)).body.json()) as { destinationRules: DestinationRule[] };

  it('GET answers the rule in force; a conditional PUT is served by the clusters when it returns; a stale version is 409; the VS keeps its version', async () => {
    const before = await callRule(adminOf(mesh), 'GET');
    expect(before.status).toBe(200);
    expect(before.json.destinationRule).toEqual((await dump()).destinationRules.find((r) => r.metadata.name === 'reviews'));
    const vsBefore = (await call(adminOf(mesh), 'GET')).json.resourceVersion;
    const limited = structuredClone(before.json.destinationRule);
    // Only the connection pool changes (the rule's loadBalancer stays): the clusters must be rebuilt for it alone.
    limited.spec.trafficPolicy = { ...limited.spec.trafficPolicy, connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } };
    const send = client(mesh);
    const burst = async () => (await send.many(3, 3, () => ['reviews'])).map((r) => r.status).sort();
    expect(await burst()).toEqual([200, 200, 200]);
    const put = await callRule(adminOf(mesh), 'PUT', { resourceVersion: before.json.resourceVersion, destinationRule: limited });
    expect(put.status).toBe(200);
    expect(put.json.resourceVersion).not.toBe(before.json.resourceVersion);
    expect(put.json.destinationRule).toEqual(limited);
    // In force in the clusters when PUT returns: of 3 concurrent requests, one on the connection, one pending, one overflows.
    expect(await burst()).toEqual([200, 200, 503]);
    expect((await call(adminOf(mesh), 'GET')).json.resourceVersion).toBe(vsBefore);
    const stale = await callRule(adminOf(mesh), 'PUT', { resourceVersion: before.json.resourceVersion, destinationRule: before.json.destinationRule });
    expect(stale.status).toBe(409);
    expect((await callRule(adminOf(mesh), 'GET')).json.destinationRule).toEqual(limited);
    expect((await callRule(adminOf(mesh), 'PUT', { resourceVersion: put.json.resourceVersion, destinationRule: before.json.destinationRule })).status).toBe(200);
    expect((await dump()).destinationRules.find((r) => r.metadata.name === 'reviews')).toEqual(before.json.destinationRule);
    expect(await burst()).toEqual([200, 200, 200]);
    await send.close();
  });

  it('a VirtualService PUT sent while a rule PUT reconfigures the mesh lands after it and stays', async () => {
    const rule = (await callRule(adminOf(mesh), 'GET')).json;
    const vs = (await call(adminOf(mesh), 'GET')).json;
    const limited = structuredClone(rule.destinationRule);
    limited.spec.trafficPolicy = { ...limited.spec.trafficPolicy, outlierDetection: { consecutive5xxErrors: 7 } };
    const [rulePut, vsPut] = await Promise.all([
      callRule(adminOf(mesh), 'PUT', { resourceVersion: rule.resourceVersion, destinationRule: limited }),
      call(adminOf(mesh), 'PUT', { resourceVersion: vs.resourceVersion, virtualService: toSubset(vs.virtualService, 'v2') }),
    ]);
    expect([rulePut.status, vsPut.status]).toEqual([200, 200]);
    expect((await call(adminOf(mesh), 'GET')).json.virtualService).toEqual(toSubset(vs.virtualService, 'v2'));
    expect((await callRule(adminOf(mesh), 'GET')).json.destinationRule).toEqual(limited);
    expect((await callRule(adminOf(mesh), 'PUT', { destinationRule: rule.destinationRule })).status).toBe(200);
    expect((await call(adminOf(mesh), 'PUT', { virtualService: vs.virtualService })).status).toBe(200);
  });

  it('refuses a rule the mesh rejects (422: the VS routes to a subset it drops), a wrong kind (400) and writes to a read-only mesh (405), changing nothing', async () => {
    const { json } = await callRule(adminOf(mesh), 'GET');
    const dropped = structuredClone(json.destinationRule);
    dropped.spec.subsets = dropped.spec.subsets!.filter((s) => s.name !== 'v3');
    const refused = await callRule(adminOf(mesh), 'PUT', { destinationRule: dropped });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.json.problems)).toContain('v3');
    const wrongKind = await callRule(adminOf(mesh), 'PUT', { destinationRule: { ...json.destinationRule, kind: 'VirtualService' } });
    expect(wrongKind.status).toBeGreaterThanOrEqual(400);
    expect((await callRule(readOnly.adminUrl, 'PUT', { destinationRule: json.destinationRule })).status).toBe(405);
    expect((await callRule(adminOf(mesh), 'GET')).json.resourceVersion).toBe(json.resourceVersion);
    const missing = await request(`${adminOf(mesh)}/config/destinationrules/default/nope`);
    expect(missing.statusCode).toBe(404);
    await missing.body.text();
  });
});
