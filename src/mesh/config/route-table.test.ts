import { describe, expect, it } from 'vitest';
import type { DestinationRule, Gateway, VirtualService } from '../../istio/types.js';
import { createServiceRegistry, type ServiceRegistry } from './clusters.js';
import { createDiagnostics } from './diagnostics.js';
import { firstMatch, type RequestView } from './request-match.js';
import { createRouteTable, type VirtualHost } from './route-table.js';
import { planWorkloads } from './workload-plan.js';

const dr = (host: string, ns = 'default', subsets = ['v1', 'v2']): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: host, namespace: ns },
  spec: { host, subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
});
const vs = (name: string, hosts: string[], http: VirtualService['spec']['http'], ns = 'default'): VirtualService => ({
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns }, spec: { hosts, http },
});
const to = (host: string, subset?: string) => ({ route: [{ destination: subset ? { host, subset } : { host } }] });

function registryFor(drs: DestinationRule[], vss: VirtualService[] = []): ServiceRegistry {
  const plans = planWorkloads({ virtualServices: vss, destinationRules: drs, backends: [], namespace: 'default' }, createDiagnostics());
  let port = 20000;
  return createServiceRegistry(plans, (w) => [{ id: w.workload.name, host: '127.0.0.1', port: port++, workload: w.workload, active: 0 }]);
}

function table(vss: VirtualService[], drs: DestinationRule[]) {
  const d = createDiagnostics();
  const t = createRouteTable({ virtualServices: vss, registry: registryFor(drs, vss), namespace: 'default' }, d);
  return { t, d };
}

const subsetOf = (t: ReturnType<typeof table>['t'], host: string) => t.lookup(host)?.routes[0]?.pick(() => 0)?.cluster.subset;

describe('createRouteTable', () => {
  it('a service answers to all its names, with or without port, case-insensitively', () => {
    const { t, d } = table([vs('reviews', ['reviews'], [to('reviews', 'v2')])], [dr('reviews')]);
    for (const h of ['reviews', 'reviews:9080', 'REVIEWS', 'reviews.default', 'reviews.default.svc', 'reviews.default.svc.cluster.local:80']) {
      expect(subsetOf(t, h)).toBe('v2');
    }
    expect(t.lookup('ratings')).toBeUndefined();
    expect(d.errors).toEqual([]);
  });

  it('a service without VirtualService routes to all its endpoints', () => {
    const { t } = table([], [dr('ratings')]);
    const vhost = t.lookup('ratings')!;
    expect(vhost.name).toBe('service ratings.default.svc.cluster.local');
    const target = vhost.routes[0]!.pick(() => 0)!;
    expect(target.cluster.subset).toBeUndefined();
    expect(target.cluster.lb.endpoints.map((e) => e.id)).toEqual(['ratings-v1', 'ratings-v2']);
  });

  it('wildcard and catch-all hosts; the longest suffix wins; exact beats wildcard', () => {
    const { t } = table([
      vs('wild', ['*.example.com'], [to('reviews', 'v1')]),
      vs('deeper', ['*.api.example.com'], [to('reviews', 'v2')]),
      vs('exact', ['www.example.com'], [to('ratings', 'v2')]),
      vs('all', ['*'], [to('ratings', 'v1')]),
    ], [dr('reviews'), dr('ratings')]);
    expect(t.lookup('shop.example.com')!.name).toBe('VirtualService default/wild');
    expect(t.lookup('v1.api.example.com')!.name).toBe('VirtualService default/deeper');
    expect(t.lookup('www.example.com')!.name).toBe('VirtualService default/exact');
    expect(t.lookup('anything.else')!.name).toBe('VirtualService default/all');
  });

  it('a wildcard VirtualService covering a service applies to its short names too', () => {
    const { t } = table([vs('ns-wide', ['*.default.svc.cluster.local'], [to('reviews', 'v2')])], [dr('reviews')]);
    expect(t.lookup('reviews')!.name).toBe('VirtualService default/ns-wide');
  });

  it("short names prefer the client's namespace", () => {
    const { t } = table(
      [vs('other', ['reviews'], [to('reviews', 'v1')], 'other'), vs('mine', ['reviews'], [to('reviews', 'v2')])],
      [dr('reviews', 'other'), dr('reviews')],
    );
    expect(t.lookup('reviews')!.name).toBe('VirtualService default/mine');
    expect(t.lookup('reviews.other')!.name).toBe('VirtualService other/other');
  });

  it('two VirtualServices for one host: the first wins, with a warning', () => {
    const { t, d } = table([vs('a', ['reviews'], [to('reviews', 'v1')]), vs('b', ['reviews'], [to('reviews', 'v2')])], [dr('reviews')]);
    expect(t.lookup('reviews')!.name).toBe('VirtualService default/a');
    expect(d.warnings[0]!.message).toMatch(/default\/b: host reviews.default.svc.cluster.local is already served by VirtualService default\/a/);
  });

  it('two gateway-bound VirtualServices for one host are merged, oldest first, catch-all routes last; bound to mesh the older still wins', () => {
    const gw: Gateway = {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com'] }] },
    };
    const bound = (name: string, http: VirtualService['spec']['http']): VirtualService => ({ ...vs(name, ['shop.example.com'], http), spec: { hosts: ['shop.example.com'], gateways: ['gw', 'mesh'], http } });
    const a = bound('a', [
      { match: [{ uri: { prefix: '/a' } }], ...to('reviews', 'v1') },
      { match: [{ uri: { prefix: '/x' } }, { uri: { prefix: '/' } }], ...to('reviews', 'v1') },
      // After a's catch-all: istiod never builds it, so the merge must not make it reachable.
      { match: [{ uri: { prefix: '/late' } }], ...to('reviews', 'v2') },
    ]);
    const b = bound('b', [{ match: [{ uri: { prefix: '/b' } }], ...to('reviews', 'v2') }, { ...to('reviews', 'v2') }]);
    const d = createDiagnostics();
    const t = createRouteTable({ virtualServices: [a, b], gateways: [gw], registry: registryFor([dr('reviews')], [a, b]), namespace: 'default' }, d);
    const view = (path: string): RequestView => ({ method: 'GET', path, query: '', authority: 'shop.example.com', scheme: 'http', port: 80, headers: {} });
    const routeFor = (vhost: VirtualHost, path: string) => {
      for (const r of vhost.routes) if (firstMatch(r.matches, view(path))) return `${r.name} ${r.pick(() => 0)!.cluster.subset}`;
      return 'NR';
    };
    const merged = t.gatewayHttp.get('gateway:80')!('shop.example.com')!;
    expect(merged.name).toBe('VirtualService default/a + VirtualService default/b');
    expect(['/a', '/x', '/b', '/late', '/'].map((p) => routeFor(merged, p))).toEqual(['a.http[0] v1', 'a.http[1] v1', 'b.http[0] v2', 'a.http[1] v1', 'a.http[1] v1']);
    // The sidecar view (mesh): the older VirtualService alone, so a's catch-all hides b's /b.
    expect(routeFor(t.lookup('shop.example.com')!, '/b')).toBe('a.http[1] v1');
    expect(d.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/default\/b: host shop.example.com is already served by VirtualService default\/a; that one wins/)]);
  });

  it('unknown subsets and hosts are errors naming the field', () => {
    const d = createDiagnostics();
    const registry = registryFor([dr('reviews')]);
    createRouteTable({ virtualServices: [vs('r', ['reviews'], [{ route: [{ destination: { host: 'reviews', subset: 'v9' } }, { destination: { host: 'nothing' } }] }])], registry, namespace: 'default' }, d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.http[0].route[0].destination', 'spec.http[0].route[1].destination']);
    expect(d.errors[0]!.message).toMatch(/VirtualService default\/r: host reviews.default.svc.cluster.local has no subset "v9" \(subsets: v1, v2\)/);
  });

  it('routes need exactly one action; delegate is skipped with a warning', () => {
    const d = createDiagnostics();
    createRouteTable({
      virtualServices: [vs('r', ['reviews'], [{ name: 'empty' }, { delegate: { name: 'x' } }, { ...to('reviews', 'v1'), directResponse: { status: 200 } }])],
      registry: registryFor([dr('reviews')]), namespace: 'default',
    }, d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.http[0]', 'spec.http[2]']);
    expect(d.warnings.map((e) => e.path)).toEqual(['spec.http[1].delegate']);
  });

  it('all-zero weights compile (503 UH at runtime) with a warning', () => {
    const d = createDiagnostics();
    const t = createRouteTable({
      virtualServices: [vs('r', ['reviews'], [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 0 }, { destination: { host: 'reviews', subset: 'v2' } }] }])],
      registry: registryFor([dr('reviews')]), namespace: 'default',
    }, d);
    expect(t.lookup('reviews')!.routes[0]!.pick(Math.random)).toBeUndefined();
    expect(d.warnings[0]!.message).toMatch(/UH/);
  });

  it('serves on the mesh only VirtualServices bound to "mesh" (absent gateways = mesh), and leaves TCP-only ones to the default route', () => {
    const gwOnly = { ...vs('gw', ['reviews'], [to('reviews', 'v2')]), spec: { hosts: ['reviews'], gateways: ['edge'], http: [to('reviews', 'v2')] } };
    const both = { ...vs('both', ['ratings'], [to('ratings', 'v2')]), spec: { hosts: ['ratings'], gateways: ['edge', 'mesh'], http: [to('ratings', 'v2')] } };
    const tcpOnly = { ...vs('tcp', ['details'], undefined), spec: { hosts: ['details'], tcp: [{ match: [{ port: 9000 }], route: [{ destination: { host: 'details', subset: 'v2' } }] }] } };
    const { t, d } = table([gwOnly, both, tcpOnly], [dr('reviews'), dr('ratings'), dr('details')]);
    expect(t.lookup('reviews')?.name).toBe('service reviews.default.svc.cluster.local');
    expect(subsetOf(t, 'ratings')).toBe('v2');
    expect(t.lookup('details')?.name).toBe('service details.default.svc.cluster.local');
    expect(t.listeners.map((l) => l.key)).toEqual(['mesh:details.default.svc.cluster.local:9000']);
    expect(t.tcp.get('mesh:details.default.svc.cluster.local:9000')?.pick(() => 0)?.subset).toBe('v2');
    expect(d.warnings.map((w) => w.message)).toEqual([
      'VirtualService default/gw: Gateway default/edge is not defined (or has no server the local mesh serves); these routes are not served there',
      'VirtualService default/both: Gateway default/edge is not defined (or has no server the local mesh serves); these routes are not served there',
    ]);
  });
});
