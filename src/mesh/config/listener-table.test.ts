import { describe, expect, it } from 'vitest';
import { createDiagnostics } from './diagnostics.js';
import { type CompiledServer } from './gateways.js';
import { type BoundVirtualService, buildListenerTables, createHostLookup } from './listener-table.js';
import type { CompiledTcpRoute } from './tcp-route.js';

const tcpRoute = (name: string, ports?: number[], destinationPorts: number[] = []): CompiledTcpRoute => ({ name, ports: ports ? new Set(ports) : undefined, destinationPorts, pick: () => undefined });
const vs = (name: string, hosts: string[], contexts: string[], tcp: CompiledTcpRoute[] = [], namespace = 'default'): BoundVirtualService<string> => ({
  label: `VirtualService ${namespace}/${name}`, namespace, hosts, contexts, vhostFor: (c) => `${name}@${c}`, tcpFor: () => tcp,
});
const server = (gateway: string, port: number, protocol: 'HTTP' | 'TCP', hosts: string[]): CompiledServer => ({
  gateway, port, protocol, hosts: hosts.map((h) => (h.includes('/') ? { namespace: h.split('/')[0], host: h.split('/')[1]! } : { namespace: undefined, host: h })),
});

const join = (vhosts: string[]) => vhosts.join('+');

describe('createHostLookup', () => {
  it('prefers exact domains, then the longest wildcard, then "*"; ignores port and case; keeps the first claim', () => {
    const conflicts: string[] = [];
    const lookup = createHostLookup<string>([
      ['*', 'any', 'A'], ['*.example.com', 'wild', 'A'], ['*.api.example.com', 'api', 'A'], ['www.example.com', 'www', 'A'], ['www.example.com', 'later', 'B'],
    ], (d, kept, dropped) => conflicts.push(`${d} ${kept} ${dropped}`));
    expect(['WWW.example.com:8080', 'x.example.com', 'v1.api.example.com', 'example.com', 'other'].map(lookup)).toEqual(['www', 'wild', 'api', 'any', 'any']);
    expect(conflicts).toEqual(['www.example.com A B']);
    expect(createHostLookup<string>([['a.test', 'a', 'A']], () => undefined)('b.test')).toBeUndefined();
  });
});

describe('buildListenerTables', () => {
  it('builds a gateway host table from bound VirtualServices and admitted namespaces', () => {
    const d = createDiagnostics();
    const t = buildListenerTables([
      vs('web', ['*.example.com'], ['edge/gw']),
      vs('admin', ['admin.test'], ['edge/gw']),
      vs('meshy', ['www.example.com'], ['mesh']),
    ], [server('edge/gw', 80, 'HTTP', ['*.example.com', 'ops/admin.test'])], d, join);
    expect(t.listeners).toEqual([{ key: 'gateway:80', kind: 'gateway-http', port: 80, name: 'gateway HTTP :80 (edge/gw)' }]);
    const lookup = t.http.get('gateway:80')!;
    expect([lookup('www.example.com'), lookup('admin.test')]).toEqual(['web@edge/gw', undefined]);
    expect(d.warnings).toEqual([]);
  });

  it('merges the VirtualServices claiming one domain on one port, oldest first, without a warning; other domains stay apart', () => {
    const d = createDiagnostics();
    const t = buildListenerTables([
      vs('a', ['shop.example.com'], ['edge/gw']),
      vs('b', ['shop.example.com', 'b.example.com'], ['edge/gw', 'edge/gw2']),
      vs('c', ['*.example.com'], ['edge/gw']),
    ], [server('edge/gw', 80, 'HTTP', ['*.example.com']), server('edge/gw2', 80, 'HTTP', ['shop.example.com'])], d, join);
    const lookup = t.http.get('gateway:80')!;
    // b is bound through both servers of the port but counted once.
    expect([lookup('shop.example.com'), lookup('b.example.com'), lookup('x.example.com')]).toEqual(['a@edge/gw+b@edge/gw', 'b@edge/gw', 'c@edge/gw']);
    expect(d.warnings).toEqual([]);
  });

  it('gives TCP gateway ports the first route for the port, and mesh TCP listeners per (host, port)', () => {
    const d = createDiagnostics();
    const t = buildListenerTables([
      vs('gw-tcp', ['*'], ['edge/gw'], [tcpRoute('a', [9999]), tcpRoute('b', [31400])]),
      vs('echo', ['tcp-echo.default.svc.cluster.local', '*.wild'], ['mesh'], [tcpRoute('c', undefined, [9000]), tcpRoute('d', [9001]), tcpRoute('e')]),
      vs('dup', ['tcp-echo.default.svc.cluster.local'], ['mesh', 'nope/gw'], [tcpRoute('f', [9000])]),
    ], [server('edge/gw', 31400, 'TCP', ['*']), server('other/gw2', 31400, 'HTTP', ['*'])], d, join);
    expect(t.listeners.map((l) => `${l.key} ${l.kind}`)).toEqual([
      'gateway:31400 gateway-tcp',
      'mesh:tcp-echo.default.svc.cluster.local:9000 mesh-tcp',
      'mesh:tcp-echo.default.svc.cluster.local:9001 mesh-tcp',
    ]);
    expect(t.tcp.get('gateway:31400')?.name).toBe('b');
    expect(t.tcp.get('mesh:tcp-echo.default.svc.cluster.local:9000')?.name).toBe('c');
    expect(t.tcp.get('mesh:tcp-echo.default.svc.cluster.local:9001')?.name).toBe('c');
    expect(d.warnings.map((w) => w.message)).toEqual([
      'VirtualService default/dup: Gateway nope/gw is not defined (or has no server the local mesh serves); these routes are not served there',
      'Gateway other/gw2: port 31400 is already served as TCP by another server; this HTTP server is skipped',
      'VirtualService default/echo: neither match.port nor destination.port.number: the local mesh cannot tell which service port to listen on; not served',
      'VirtualService default/echo: TCP routes for the wildcard host *.wild are not served by the local mesh (a listener needs one service)',
      'VirtualService default/dup: TCP tcp-echo.default.svc.cluster.local:9000 is already served by an older VirtualService; that one wins',
    ]);
  });
});
