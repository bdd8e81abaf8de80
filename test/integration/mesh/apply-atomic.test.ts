/**
 * A live change is all or nothing, listeners included: `applyConfig` opens the listeners the new
 * configuration adds before swapping it in, so when one cannot be opened (its mapped local port is
 * held by another process) the promise rejects and the mesh serves exactly what it served before —
 * same generation, routes, DestinationRules and listeners. Once the port is free the same change
 * goes through (the backend the refused change had started was stopped and is started again).
 */
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/errors.js';
import type { DestinationRule, Gateway, VirtualService } from '../../../src/istio/types.js';
import { countBy, clientAt, listenerOf, useMesh } from '../../support/mesh.js';
import { freePort } from '../../support/free-port.js';

const GW_PORT = 8080;
const dr = (...subsets: string[]): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
});
const vs = (subset: string, gateways?: string[]): VirtualService => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews', 'reviews.example.com'], ...(gateways ? { gateways } : {}), http: [{ route: [{ destination: { host: 'reviews', subset } }] }] },
});
const gateway = (name: string, port: number): Gateway => ({
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace: 'default' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['reviews.example.com'] }] },
});

// The port the new Gateway's listener maps to (offset + 8080) is held by someone else.
const blocked = await freePort();
const blocker: Server = createServer();
await new Promise<void>((r) => blocker.listen(blocked, '127.0.0.1', () => r()));
const offset = blocked - GW_PORT;
const local = useMesh(() => ({ virtualServices: [vs('v1', ['mesh', 'old-gateway'])], destinationRules: [dr('v1')], gateways: [gateway('old-gateway', 9090)], portOffset: offset }));
afterAll(() => new Promise<void>((r) => (blocker.listening ? blocker.close(() => r()) : r())));

describe('applyConfig is all or nothing', () => {
  it('a listener that cannot open refuses the whole change: routes, rules and listeners stay as they were', async () => {
    const g = local.mesh.generation;
    const before = local.mesh.listeners!();
    expect(before.map((l) => [l.key, l.localPort])).toEqual([['gateway:9090', offset + 9090]]);
    const change = { virtualServices: [vs('v2', ['mesh', 'new-gateway'])], destinationRules: [dr('v1', 'v2')], gateways: [gateway('new-gateway', GW_PORT)] };
    const err = await local.mesh.applyConfig(change).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toMatch(new RegExp(`the configuration was not applied: .*cannot listen on 127\\.0\\.0\\.1:${blocked}: address already in use`));
    expect((err as RuntimeError).hint).toContain('the previous configuration stays in force');
    expect(local.mesh.generation).toBe(g);
    expect(local.mesh.getVirtualService('default', 'reviews')!.spec.http![0]!.route![0]!.destination.subset).toBe('v1');
    expect(local.mesh.getDestinationRules().map((r) => r.spec.subsets!.map((s) => s.name))).toEqual([['v1']]);
    expect(local.mesh.listeners!()).toEqual(before);
    expect(countBy(await local.http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v1: 20 });
    const old = clientAt(listenerOf(local.mesh, 'gateway:9090').url);
    expect(countBy(await old.many(10, 2, () => ['reviews.example.com']), 'x-version')).toEqual({ v1: 10 });
    await old.close();

    // The same change once the port is free: it goes through whole, the old Gateway's listener closes.
    await new Promise<void>((r) => blocker.close(() => r()));
    await local.mesh.applyConfig(change);
    expect(local.mesh.generation).toBe(g + 1);
    expect(local.mesh.listeners!().map((l) => [l.key, l.localPort])).toEqual([['gateway:8080', blocked]]);
    expect(countBy(await local.http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v2: 20 });
    const fresh = clientAt(listenerOf(local.mesh, 'gateway:8080').url);
    expect(countBy(await fresh.many(10, 2, () => ['reviews.example.com']), 'x-version')).toEqual({ v2: 10 });
    await fresh.close();
  });
});
