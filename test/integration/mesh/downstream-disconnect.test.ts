/**
 * A client that goes away before the upstream answers: Envoy records the request with response
 * flag DC (downstream connection termination) and response code 0 (no response was sent), and
 * abandons the upstream request. Through the mesh listener and a Gateway listener.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { instant, listenerOf, useMesh, waitFor } from '../../support/mesh.js';

const SLOW_MS = 600;
const local = useMesh(() => ({
  virtualServices: [{
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'slow', namespace: 'default' },
    spec: { hosts: ['slow', 'slow.example.com'], gateways: ['mesh', 'slow-gateway'], http: [{ route: [{ destination: { host: 'slow' } }] }] },
  }],
  destinationRules: [],
  gateways: [{
    apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'slow-gateway', namespace: 'default' },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['slow.example.com'] }] },
  }],
  backends: [instant('slow', '', { demo: { latency: { median: SLOW_MS, p99: SLOW_MS }, errorRate: 0 } })],
}));

/** Sends one request on a raw connection and closes the connection after `afterMs`, before any answer. */
async function sendAndHangUp(url: string, host: string, afterMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  const s = connect(Number(port), hostname);
  let got = '';
  s.on('data', (d) => (got += d.toString()));
  await new Promise<void>((r) => s.once('connect', () => r()));
  s.write(`GET / HTTP/1.1\r\nhost: ${host}\r\n\r\n`);
  await new Promise((r) => setTimeout(r, afterMs));
  s.destroy();
  return got;
}
const count = (labels: Record<string, string>) => sumSamples(parsePrometheusText(local.mesh.metricsText()).samples, 'istio_requests_total', labels);

describe('downstream disconnect (DC)', () => {
  it.each([['mesh listener', 'slow'], ['gateway listener', 'slow.example.com']])('%s: a client gone before the upstream answers is recorded with flag DC and code 0', async (which, host) => {
    const url = which === 'mesh listener' ? local.mesh.url : listenerOf(local.mesh, 'gateway:80').url;
    const before = count({ reporter: 'source', response_flags: 'DC', response_code: '0' });
    const started = performance.now();
    expect(await sendAndHangUp(url, host, 100)).toBe('');
    expect(await waitFor(() => count({ reporter: 'source', response_flags: 'DC', response_code: '0' }) - before || undefined, 5_000)).toBe(1);
    // Recorded when the client left, not when the upstream would have answered.
    expect(performance.now() - started).toBeLessThan(SLOW_MS);
    expect(count({ reporter: 'source', response_flags: '-', response_code: '0' })).toBe(0);
  });
});
