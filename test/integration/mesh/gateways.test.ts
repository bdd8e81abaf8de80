/**
 * Gateways on real sockets: Istio's "Ingress gateways" task shape (httpbin-gateway), server hosts
 * with wildcards and namespaces, `gateways:` binding (a Gateway, `ns/name`, `mesh`, absent = mesh),
 * 404 NR for a Host no server or bound VirtualService covers, the ingress gateway's metric labels,
 * a live change that adds a Gateway, and two VirtualServices for one host merged on the gateway.
 */
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import type { Gateway } from '../../../src/istio/types.js';
import { clientAt, fixture, instant, listenerOf, manifests, scrape, useMesh } from '../../support/mesh.js';

describe('Istio "Ingress gateways" task: httpbin-gateway', () => {
  const m = useMesh(() => ({ ...manifests(fixture('gateways/httpbin-gateway.yaml')), portOffset: 'free' }));

  it('serves Host httpbin.example.com on the gateway listener: /status/200 → 200, /headers → 404, another Host → 404 NR', async () => {
    const gw = listenerOf(m.mesh, 'gateway:80');
    expect(gw).toMatchObject({ kind: 'gateway-http', port: 80, name: 'gateway HTTP :80 (default/httpbin-gateway)' });
    expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const http = clientAt(gw.url);
    try {
      const ok = await http.send('httpbin.example.com', { path: '/status/200' });
      expect(ok.status).toBe(200);
      expect((await http.send('httpbin.example.com', { path: '/delay/0' })).status).toBe(200);
      const headers = await http.send('httpbin.example.com', { path: '/headers' });
      expect(headers.status).toBe(404);
      const other = await http.send('other.example.com', { path: '/status/200' });
      expect(other.status).toBe(404);
    } finally {
      await http.close();
    }
    // The VirtualService is bound to the gateway only: the mesh listener does not serve its host.
    expect((await m.http.send('httpbin.example.com', { path: '/status/200' })).status).toBe(404);
    // ... while the httpbin service itself is still reachable through the mesh (no VirtualService binds it there).
    expect((await m.http.send('httpbin', { path: '/headers' })).status).toBe(200);

    const samples = await scrape(m.mesh);
    const viaGateway = { reporter: 'source', source_workload: 'istio-ingressgateway', source_workload_namespace: 'istio-system' };
    expect(sumSamples(samples, 'istio_requests_total', { ...viaGateway, response_code: '200', destination_service_name: 'httpbin' })).toBe(2);
    expect(sumSamples(samples, 'istio_requests_total', { ...viaGateway, response_code: '404', response_flags: 'NR' })).toBe(2);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'destination', source_workload: 'istio-ingressgateway', destination_service_name: 'httpbin' })).toBe(2);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', source_workload: 'unknown' })).toBe(2);
    const info = (await (await fetch(`${m.mesh.adminUrl}/info`)).json()) as { listeners: unknown[] };
    expect(info.listeners).toEqual([{ name: gw.name, port: 80, url: gw.url }]);
    const dump = (await (await fetch(`${m.mesh.adminUrl}/config_dump`)).json()) as { gateways: Array<{ metadata: { name: string } }>; listeners: unknown[] };
    expect(dump.gateways.map((g) => g.metadata.name)).toEqual(['httpbin-gateway']);
    expect(dump.listeners).toEqual([gw]);
  });
});

describe('server hosts and gateways: binding', () => {
  const m = useMesh(() => ({ ...manifests(fixture('gateways/shop-gateway.yaml')), backends: ['v1', 'v2', 'v3'].map((v) => instant('reviews', v)), portOffset: 'free' }));
  const version = async (http: ReturnType<typeof clientAt>, host: string, path = '/') => {
    const r = await http.send(host, { path });
    return r.status === 200 ? String(r.headers['x-version']) : r.status;
  };

  it('matches exact hosts before wildcards, honours ns/ server hosts, and answers 404 to the rest', async () => {
    const http = clientAt(listenerOf(m.mesh, 'gateway:8080').url);
    try {
      expect(await version(http, 'www.example.com')).toBe('v2');
      expect(await version(http, 'WWW.example.com:8080')).toBe('v2');
      expect(await version(http, 'shop.example.com')).toBe('v1');
      expect(await version(http, 'a.b.example.com')).toBe('v1');
      // "*.example.com" does not cover example.com itself.
      expect(await version(http, 'example.com')).toBe(404);
      expect(await version(http, 'api.shop.test')).toBe('v3');
      // Server host other/admin.shop.test admits VirtualServices of namespace "other" only.
      expect(await version(http, 'admin.shop.test')).toBe(404);
      // The reviews VirtualService has no gateways: mesh only.
      expect(await version(http, 'reviews')).toBe(404);
      // A match entry bound to the mesh does not exist on the gateway.
      expect(await version(http, 'api.shop.test', '/mesh-only')).toBe('v3');
    } finally {
      await http.close();
    }
  });

  it('serves on the mesh listener only what is bound to "mesh" (or to nothing)', async () => {
    expect(await version(m.http, 'reviews')).toBe('v3');
    expect(await version(m.http, 'api.shop.test')).toBe('v3');
    expect(await version(m.http, 'api.shop.test', '/mesh-only')).toBe('v1');
    expect(await version(m.http, 'www.example.com')).toBe(404);
    expect(await version(m.http, 'shop.example.com')).toBe(404);
  });

  it('opens a listener for a Gateway added live and closes it when the Gateway goes', async () => {
    const { virtualServices, destinationRules, gateways } = manifests(fixture('gateways/shop-gateway.yaml'));
    const extra: Gateway = {
      apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'extra' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 9090, protocol: 'HTTP' }, hosts: ['*'] }] },
    };
    const wild = virtualServices.find((v) => v.metadata.name === 'wild')!;
    wild.spec.gateways = ['shop-gateway', 'extra'];
    const before = listenerOf(m.mesh, 'gateway:8080').localPort;
    await m.mesh.applyConfig({ virtualServices, destinationRules, gateways: [...gateways!, extra] });
    expect(listenerOf(m.mesh, 'gateway:8080').localPort).toBe(before);
    const http = clientAt(listenerOf(m.mesh, 'gateway:9090').url);
    try {
      expect(await version(http, 'x.example.com')).toBe('v1');
      // Only "wild" is bound to the new Gateway: www's exact VirtualService is not there.
      expect(await version(http, 'www.example.com')).toBe('v1');
      expect(await version(http, 'api.shop.test')).toBe(404);
    } finally {
      await http.close();
    }
    await m.mesh.applyConfig({ virtualServices, destinationRules, gateways: gateways! });
    expect(m.mesh.listeners!().map((l) => l.key)).toEqual(['gateway:8080']);
  });

  it('merges a second VirtualService for a host on the gateway (its routes before the older one\'s catch-all); on the mesh the older wins', async () => {
    // "api" (older) ends with a catch-all to v3; the newer one adds /extra → v2 for the same host.
    await m.mesh.applyObjects({ virtualServices: [{
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'api-extra', namespace: 'default' },
      spec: { hosts: ['api.shop.test'], gateways: ['shop-gateway', 'mesh'], http: [{ match: [{ uri: { prefix: '/extra' } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] },
    }] });
    const http = clientAt(listenerOf(m.mesh, 'gateway:8080').url);
    try {
      expect(await version(http, 'api.shop.test', '/extra')).toBe('v2');
      expect(await version(http, 'api.shop.test', '/other')).toBe('v3');
    } finally {
      await http.close();
    }
    expect(await version(m.http, 'api.shop.test', '/extra')).toBe('v3');
    expect(m.mesh.warnings.some((w) => /api-extra: host api\.shop\.test is already served by VirtualService default\/api; that one wins/.test(w.message))).toBe(true);
  });
});
