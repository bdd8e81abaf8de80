import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpExchange } from '../../../test/support/tcp.js';
import { freePort } from '../backends/command-backend.js';
import type { Cluster } from '../config/clusters.js';
import type { RouteTable } from '../config/route-table.js';
import type { CompiledTcpRoute } from '../config/tcp-route.js';
import type { Endpoint, Workload } from '../endpoints/endpoint.js';
import { createIstioMetrics } from '../telemetry/metrics.js';
import { parsePrometheusText, sumSamples } from '../telemetry/prom-parse.js';
import { createTcpHandler } from './tcp-proxy.js';

const workload: Workload = { service: 'echo.default.svc.cluster.local', serviceName: 'echo', namespace: 'default', subset: 'v1', name: 'echo-v1', version: 'v1', app: 'echo', labels: {} };
const ref = { service: workload.service, serviceName: 'echo', namespace: 'default' };

/** A cluster of one endpoint on `port` (none when undefined). */
function cluster(port: number | undefined): Cluster {
  const ep: Endpoint | undefined = port === undefined ? undefined : { id: 'echo-v1-0', host: '127.0.0.1', port, workload, active: 0 };
  return { service: { ref }, lb: { pick: () => ep } } as unknown as Cluster;
}

describe('createTcpHandler', () => {
  let upstream: Server;
  let upstreamPort: number;
  const servers: Server[] = [];

  beforeAll(async () => {
    // An upstream that answers only after the client's FIN: the proxy must keep the other direction open.
    upstream = createServer({ allowHalfOpen: true }, (s) => {
      const got: Buffer[] = [];
      s.on('data', (c: Buffer) => got.push(c));
      s.on('end', () => s.end(`got ${Buffer.concat(got).length} bytes`));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    upstreamPort = (upstream.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of [upstream, ...servers]) await new Promise<void>((r) => s.close(() => r()));
  });

  /** A listener whose table holds `route` (or none). */
  async function listener(route: CompiledTcpRoute | undefined) {
    const metrics = createIstioMetrics();
    const table = { tcp: new Map(route ? [['k', route]] : []), inFlight: 0 } as unknown as RouteTable;
    const h = createTcpHandler({ table: () => table, key: 'k', metrics, random: Math.random });
    const server = createServer({ allowHalfOpen: true }, h.onConnection);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const flows = () => parsePrometheusText(metrics.render()).samples;
    return { port: (server.address() as { port: number }).port, table, flows, handler: h };
  }
  const route = (c: Cluster | undefined): CompiledTcpRoute => ({ name: 'r', ports: undefined, destinationPorts: [], pick: () => c });

  it('proxies both ways across a half-close and counts bytes and connections', async () => {
    const l = await listener(route(cluster(upstreamPort)));
    const payload = 'x'.repeat(100_000);
    expect(await tcpExchange(l.port, payload)).toEqual({ text: 'got 100000 bytes', ended: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(l.table.inFlight).toBe(0);
    expect(l.handler.open).toBe(0);
    const s = l.flows();
    expect(sumSamples(s, 'istio_tcp_connections_opened_total', { reporter: 'source', destination_workload: 'echo-v1', response_flags: '-' })).toBe(1);
    expect(sumSamples(s, 'istio_tcp_connections_closed_total', { reporter: 'destination', request_protocol: 'tcp' })).toBe(1);
    expect(sumSamples(s, 'istio_tcp_received_bytes_total', { reporter: 'source' })).toBe(100_000);
    expect(sumSamples(s, 'istio_tcp_sent_bytes_total', { reporter: 'destination' })).toBe(16);
  });

  it('closes the connection with nothing written: no route (NR), no upstream (UH), connect failure (UF)', async () => {
    const dead = await freePort();
    for (const [r, flag] of [[undefined, 'NR'], [route(undefined), 'UH'], [route(cluster(undefined)), 'UH'], [route(cluster(dead)), 'UF']] as const) {
      const l = await listener(r);
      expect((await tcpExchange(l.port, 'hello\n')).text).toBe('');
      await new Promise((res) => setTimeout(res, 20));
      expect(sumSamples(l.flows(), 'istio_tcp_connections_closed_total', { reporter: 'source', response_flags: flag })).toBe(1);
      expect(l.table.inFlight).toBe(0);
    }
  });
});
