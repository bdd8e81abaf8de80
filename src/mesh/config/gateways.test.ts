import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../istio/types.js';
import { createDiagnostics } from './diagnostics.js';
import { boundContexts, compileGateways, hostCovers, intersectHosts, parseServerHost, resolveGatewayRef } from './gateways.js';

const gw = (servers: unknown[], extra: Record<string, unknown> = { selector: { istio: 'ingressgateway' } }): Gateway =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'edge' }, spec: { ...extra, servers } }) as Gateway;

describe('gateway binding', () => {
  it('binds to "mesh" when spec.gateways is absent or empty, and resolves names in the VirtualService\'s namespace', () => {
    expect(boundContexts(undefined, 'shop')).toEqual(['mesh']);
    expect(boundContexts([], 'shop')).toEqual(['mesh']);
    expect(boundContexts(['web', 'edge/gw', 'mesh'], 'shop')).toEqual(['shop/web', 'edge/gw', 'mesh']);
    expect(resolveGatewayRef(' mesh ', 'x')).toBe('mesh');
  });
});

describe('server hosts', () => {
  it('parses namespace/host forms', () => {
    expect(parseServerHost('*.Example.com', 'edge')).toEqual({ namespace: undefined, host: '*.example.com' });
    expect(parseServerHost('shop/api.test', 'edge')).toEqual({ namespace: 'shop', host: 'api.test' });
    expect(parseServerHost('./api.test', 'edge')).toEqual({ namespace: 'edge', host: 'api.test' });
    expect(parseServerHost('*/api.test', 'edge')).toEqual({ namespace: undefined, host: 'api.test' });
  });

  it('meets VirtualService hosts as the narrower of the two', () => {
    expect(hostCovers('*', 'a.b')).toBe(true);
    expect(hostCovers('*.example.com', 'www.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('*.example.com', '*.a.example.com')).toBe(true);
    expect(intersectHosts('www.example.com', '*.example.com')).toBe('www.example.com');
    expect(intersectHosts('*', 'httpbin.example.com')).toBe('httpbin.example.com');
    expect(intersectHosts('*.example.com', 'api.example.com')).toBe('api.example.com');
    expect(intersectHosts('a.example.com', 'b.example.com')).toBeUndefined();
  });
});

describe('compileGateways', () => {
  it('compiles HTTP and TCP servers, skips other protocols and reports what is not applied', () => {
    const d = createDiagnostics();
    const out = compileGateways([gw([
      { port: { number: 80, protocol: 'HTTP' }, hosts: ['./a.test'] },
      { port: { number: 31400, protocol: 'tcp' }, hosts: ['*'] },
      { port: { number: 443, protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE' } },
      { port: { number: 8080, protocol: 'HTTP' }, hosts: ['*'], tls: { httpsRedirect: true } },
      { port: { number: 0, protocol: 'HTTP' }, hosts: ['*'] },
    ])], 'default', d);
    expect(out.map((s) => [s.gateway, s.port, s.protocol, s.hosts])).toEqual([
      ['edge/gw', 80, 'HTTP', [{ namespace: 'edge', host: 'a.test' }]],
      ['edge/gw', 31400, 'TCP', [{ namespace: undefined, host: '*' }]],
      ['edge/gw', 8080, 'HTTP', [{ namespace: undefined, host: '*' }]],
    ]);
    expect(d.warnings.map((w) => w.path)).toEqual(['spec.servers[2].port.protocol', 'spec.servers[3].tls']);
    expect(d.errors.map((e) => e.message)).toEqual(['Gateway edge/gw: port must be an integer 1–65535, got 0']);
  });

  it('refuses a Gateway without servers and warns about one without selector', () => {
    const d = createDiagnostics();
    compileGateways([gw([]), gw([{ port: { number: 80, protocol: 'HTTP' }, hosts: ['*'] }], {})], 'default', d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.servers']);
    expect(d.warnings.map((w) => w.path)).toEqual(['spec.selector']);
  });
});
