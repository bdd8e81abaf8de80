import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../seeded-random.js';
import type { Cluster } from './clusters.js';
import { createDiagnostics } from './diagnostics.js';
import { compileTcpRoutes, tcpRouteFor } from './tcp-route.js';

const clusters = new Map(['v1', 'v2'].map((s) => [s, { name: `outbound|80|${s}|tcp-echo.default.svc.cluster.local` } as Cluster]));
const resolve = (d: { host: string; subset?: string }) => (d.host === 'tcp-echo.default.svc.cluster.local' && d.subset ? (clusters.get(d.subset) ?? `no subset ${d.subset}`) : `unknown host ${d.host}`);
const dest = (subset: string, weight?: number) => ({ destination: { host: 'tcp-echo', subset, port: { number: 9000 } }, ...(weight !== undefined ? { weight } : {}) });

describe('compileTcpRoutes', () => {
  it('keeps match ports and destination ports, and draws weighted clusters per call', () => {
    const d = createDiagnostics();
    const [r] = compileTcpRoutes([{ match: [{ port: 31400 }, { port: 31401 }], route: [dest('v1', 80), dest('v2', 20)] }], 'tcp-echo', 'default', 'mesh', resolve, d);
    expect(d.errors).toEqual([]);
    expect([...r!.ports!]).toEqual([31400, 31401]);
    expect(r!.destinationPorts).toEqual([9000, 9000]);
    const random = createSeededRandom(7);
    let v2 = 0;
    for (let i = 0; i < 10_000; i++) if (r!.pick(random) === clusters.get('v2')) v2++;
    // 5σ at p = 0.2, n = 10,000 is ±0.02.
    expect(Math.abs(v2 / 10_000 - 0.2)).toBeLessThan(0.02);
  });

  it('drops routes whose every match is bound to another context; a match without port takes any port', () => {
    const tcp = [
      { match: [{ port: 1, gateways: ['edge/gw'] }], route: [dest('v1')] },
      { match: [{ gateways: ['mesh'] }], route: [dest('v2')] },
    ];
    const inMesh = compileTcpRoutes(tcp, 'x', 'default', 'mesh', resolve, createDiagnostics());
    expect(inMesh.map((r) => [r.name, r.ports])).toEqual([['x.tcp[1]', undefined]]);
    const onGw = compileTcpRoutes(tcp, 'x', 'default', 'edge/gw', resolve, createDiagnostics());
    expect(onGw.map((r) => r.name)).toEqual(['x.tcp[0]']);
    expect(tcpRouteFor(compileTcpRoutes(tcp, 'x', 'default', undefined, resolve, createDiagnostics()), 5)?.name).toBe('x.tcp[1]');
  });

  it('reports bad destinations, weights and ports, and warns when no destination has weight', () => {
    const d = createDiagnostics();
    compileTcpRoutes([
      { match: [{ port: 70000 }], route: [dest('v9'), { destination: { host: 'tcp-echo', subset: 'v1' }, weight: -1 }] },
      { route: [] },
      { route: [dest('v1', 0), dest('v2', 0)] },
    ], 'x', 'default', 'mesh', resolve, d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.tcp[0].match.port', 'spec.tcp[0].route[0].destination', 'spec.tcp[0].route[1].weight', 'spec.tcp[1].route']);
    expect(d.warnings.map((w) => w.path)).toEqual(['spec.tcp[2].route']);
  });
});
