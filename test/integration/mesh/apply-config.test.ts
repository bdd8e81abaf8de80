/**
 * `applyConfig`: the whole configuration replaced live, as istiod pushes it — a subset that
 * appears gets a backend, one that goes away loses it only after the requests routed to it are
 * done, a removed VirtualService takes its routes with it, and a bad config changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { DestinationRule, VirtualService } from '../../../src/istio/types.js';
import type { MeshConfig } from '../../../src/mesh/types.js';
import { countBy, useMesh } from '../../support/mesh.js';

const dr = (...subsets: string[]): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
});
const vs = (name: string, host: string, weights: Record<string, number>, extra: object = {}): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: 'default' },
  spec: { hosts: [host], http: [{ ...extra, route: Object.entries(weights).map(([subset, weight]) => ({ destination: { host: 'reviews', subset }, weight })) }] },
});
const config = (drs: DestinationRule[], vss: VirtualService[]): MeshConfig => ({ destinationRules: drs, virtualServices: vss });

const local = useMesh(() => ({ virtualServices: [vs('reviews', 'reviews', { v1: 100 })], destinationRules: [dr('v1')] }));

describe('applyConfig', () => {
  it('a subset that appears gets a demo backend and traffic', async () => {
    const g = local.mesh.generation;
    await local.mesh.applyConfig(config([dr('v1', 'v2')], [vs('reviews', 'reviews', { v1: 0, v2: 100 })]));
    expect(local.mesh.generation).toBe(g + 1);
    expect(countBy(await local.http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v2: 20 });
    const dump = (await (await fetch(`${local.mesh.adminUrl}/config_dump`)).json()) as { destinationRules: DestinationRule[] };
    expect(dump.destinationRules[0]!.spec.subsets!.map((s) => s.name)).toEqual(['v1', 'v2']);
  });

  it('a subset that goes away keeps its backend until the requests already routed to it are answered', async () => {
    await local.mesh.applyConfig(config([dr('v1', 'v2')], [vs('reviews', 'reviews', { v2: 100 }, { fault: { delay: { fixedDelay: '500ms', percentage: { value: 100 } } } })]));
    const inFlight = local.http.send('reviews');
    await new Promise((r) => setTimeout(r, 100));
    await local.mesh.applyConfig(config([dr('v1')], [vs('reviews', 'reviews', { v1: 100 })]));
    const fresh = await local.http.send('reviews');
    const old = await inFlight;
    expect([old.status, old.headers['x-version']]).toEqual([200, 'v2']);
    expect(fresh.headers['x-version']).toBe('v1');
  });

  it('a removed VirtualService takes its host with it (404 NR); a service falls back to all its endpoints', async () => {
    await local.mesh.applyConfig(config([dr('v1', 'v2')], [vs('reviews', 'reviews', { v1: 100 }), vs('shop', 'shop.example.com', { v2: 100 })]));
    expect((await local.http.send('shop.example.com')).headers['x-version']).toBe('v2');
    await local.mesh.applyConfig(config([dr('v1', 'v2')], []));
    expect((await local.http.send('shop.example.com')).status).toBe(404);
    expect(local.mesh.getVirtualService('default', 'shop')).toBeUndefined();
    // Without a VirtualService a service is a plain Kubernetes Service: round robin over v1 and v2.
    expect(countBy(await local.http.many(20, 1, () => ['reviews']), 'x-version')).toEqual({ v1: 10, v2: 10 });
  });

  it('a config with errors is refused with every problem and changes nothing', async () => {
    await local.mesh.applyConfig(config([dr('v1')], [vs('reviews', 'reviews', { v1: 100 })]));
    const g = local.mesh.generation;
    const bad = config([dr('v1')], [vs('reviews', 'reviews', { v9: 100 }, { timeout: 'soon' })]);
    expect(local.mesh.checkConfig(bad).map((p) => p.path)).toEqual(['spec.http[0].route[0].destination', 'spec.http[0].timeout']);
    const err = await local.mesh.applyConfig(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(local.mesh.generation).toBe(g);
    expect(countBy(await local.http.many(10, 2, () => ['reviews']), 'x-version')).toEqual({ v1: 10 });
  });

  it('an unchanged VirtualService keeps its resourceVersion in the admin API', async () => {
    const get = async () => ((await (await fetch(`${local.mesh.adminUrl}/config/virtualservices/default/reviews`)).json()) as { resourceVersion: string }).resourceVersion;
    const before = await get();
    await local.mesh.applyConfig(config([dr('v1', 'v3')], [vs('reviews', 'reviews', { v1: 100 })]));
    expect(await get()).toBe(before);
    await local.mesh.applyConfig(config([dr('v1', 'v3')], [vs('reviews', 'reviews', { v3: 100 })]));
    expect(await get()).toBe(String(local.mesh.generation));
  });
});
