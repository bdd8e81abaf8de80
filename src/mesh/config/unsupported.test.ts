import { describe, expect, it } from 'vitest';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import { createDiagnostics } from './diagnostics.js';
import { reportUnsupportedDestinationRule, reportUnsupportedVirtualService } from './unsupported.js';

describe('unsupported fields', () => {
  it('reports fields a local client cannot honour, features not implemented and typos — with paths', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' },
      spec: {
        hosts: ['reviews'], gateways: ['bookinfo-gateway'],
        tcp: [{ match: [{ port: 9000, gateways: ['mesh'], destinationSubnets: ['10.0.0.0/8'] }], route: [{ destination: { host: 'x', port: { number: 9000 } }, weight: 1, wieght: 2 }] }],
        http: [{
          match: [{ sourceLabels: { app: 'productpage' }, gateways: ['mesh'], sourceNamespace: 'x', headers: { a: { exact: 'b' } } }],
          corsPolicy: { allowOrigins: [] },
          route: [{ destination: { host: 'reviews', subset: 'v1' }, wieght: 10 }],
        }],
      },
    } as unknown as VirtualService;
    const d = createDiagnostics();
    reportUnsupportedVirtualService(vs, 'default', d);
    // gateways (top-level and per match) and tcp routes are honoured now; only their unknowable parts warn.
    expect(d.warnings.map((w) => w.path)).toEqual([
      'spec.tcp[0].match[0].destinationSubnets',
      'spec.tcp[0].route[0].wieght',
      'spec.http[0].match[0].sourceLabels',
      'spec.http[0].match[0].sourceNamespace',
      'spec.http[0].corsPolicy',
      'spec.http[0].route[0].wieght',
    ]);
    expect(d.warnings[5]!.message).toBe('VirtualService default/reviews: unknown field "wieght" (not part of Istio\'s API); ignored');
    expect(d.errors).toEqual([]);
  });

  it('is quiet for what the mesh implements', () => {
    const vs: VirtualService = {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'default' },
      spec: {
        hosts: ['reviews'], gateways: ['mesh'], exportTo: ['.'],
        http: [{
          name: 'r', match: [{ uri: { prefix: '/' }, headers: { 'end-user': { exact: 'jason' } }, queryParams: { a: { exact: 'b' } }, ignoreUriCase: true, withoutHeaders: { x: {} }, port: 80, method: { exact: 'GET' } }],
          route: [{ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 100, headers: { request: { set: { a: 'b' } }, response: { remove: ['x'] } } }],
          timeout: '1s', retries: { attempts: 2, perTryTimeout: '1s', retryOn: '5xx' },
          fault: { delay: { fixedDelay: '1s', percentage: { value: 1 } }, abort: { httpStatus: 500, percentage: { value: 1 } } },
          mirror: { host: 'reviews', subset: 'v2' }, mirrorPercentage: { value: 5 },
          rewrite: { uri: '/', authority: 'x' }, headers: { request: { add: { a: 'b' } } },
        }],
      },
    };
    const d = createDiagnostics();
    reportUnsupportedVirtualService(vs, 'default', d);
    expect(d.warnings).toEqual([]);
  });

  it('DestinationRule: loadBalancer.simple and consistentHash, outlierDetection and subsets are honoured', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' },
      spec: {
        host: 'reviews',
        trafficPolicy: {
          loadBalancer: { simple: 'RANDOM' }, connectionPool: { tcp: { connectTimeout: '1s' } },
          outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: '1s', baseEjectionTime: '30s', maxEjectionPercent: 50, minHealthPercent: 0, splitExternalLocalOriginErrors: true },
        },
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'sid', ttl: '0s', attributes: [] }, ringHash: { minimumRingSize: 8 } } } } }],
      },
    } as unknown as DestinationRule;
    const d = createDiagnostics();
    reportUnsupportedDestinationRule(dr, 'default', d);
    expect(d.warnings.map((w) => w.path)).toEqual([
      'spec.trafficPolicy.connectionPool.tcp.connectTimeout',
      'spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors',
      'spec.subsets[0].trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes',
    ]);
  });

  it('DestinationRule: the connectionPool limits are honoured, at top level, per subset and per port; other pool fields warn', () => {
    const pool = { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, http2MaxRequests: 5, maxRetries: 3, idleTimeout: '1s', useClientProtocol: true } };
    const dr = {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' },
      spec: {
        host: 'reviews',
        trafficPolicy: { connectionPool: pool, portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 2 } }, tls: {} }] },
        subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 1 } } } }],
      },
    } as unknown as DestinationRule;
    const d = createDiagnostics();
    reportUnsupportedDestinationRule(dr, 'default', d);
    expect(d.warnings.map((w) => w.path)).toEqual([
      'spec.trafficPolicy.connectionPool.http.useClientProtocol',
      'spec.trafficPolicy.portLevelSettings[0].tls',
    ]);
  });
});
