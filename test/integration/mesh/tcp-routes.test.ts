/**
 * TCP routes on real sockets, reproducing Istio's "TCP traffic shifting" task with tcp-echo v1
 * ("one") and v2 ("two") behind a TCP Gateway on port 31400: all to v1, then 80/20 drawn per
 * connection, then 100% to v2; a mesh TCP listener from `match.port`; and Istio's TCP metrics.
 */
import { describe, expect, it } from 'vitest';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import { fiveSigma, fixture, listenerOf, manifests, scrape, useMesh } from '../../support/mesh.js';
import { tcpExchange, tcpMany } from '../../support/tcp.js';
import type { BackendSpec } from '../../../src/experiment/schema.js';

const ECHO: BackendSpec[] = [
  { host: 'tcp-echo', subset: 'v1', replicas: 1, readyPath: '/', tcpEcho: { prefix: 'one' } },
  { host: 'tcp-echo', subset: 'v2', replicas: 1, readyPath: '/', tcpEcho: { prefix: 'two' } },
];
const N = 2000;

/** Sends N connections (one line each) to `port` and counts the replies by their first word. */
async function shares(port: number): Promise<Record<string, number>> {
  const replies = await tcpMany(N, 32, (i) => tcpExchange(port, `hello ${i}\n`));
  const out: Record<string, number> = {};
  replies.forEach((r, i) => {
    const word = r.text === `one hello ${i}\n` ? 'one' : r.text === `two hello ${i}\n` ? 'two' : `bad: ${JSON.stringify(r.text)}`;
    out[word] = (out[word] ?? 0) + 1;
  });
  return out;
}

describe('Istio "TCP traffic shifting" task: tcp-echo behind tcp-echo-gateway', () => {
  const all = manifests(fixture('tcp-echo/tcp-echo-all-v1.yaml', 'tcp-echo/tcp-echo-mesh.yaml'));
  const m = useMesh(() => ({ ...all, backends: ECHO, portOffset: 'free' }));
  let shiftedToTwo = 0;

  it('sends every connection to v1 first', async () => {
    const gw = listenerOf(m.mesh, 'gateway:31400');
    expect(gw).toMatchObject({ kind: 'gateway-tcp', port: 31400 });
    expect(gw.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(await tcpExchange(gw.localPort, 'hello world\n')).toEqual({ text: 'one hello world\n', ended: true });
    expect(await shares(gw.localPort)).toEqual({ one: N });
  });

  it('after the 80/20 shift, draws v2 for 20% of connections (5-sigma binomial bounds)', async () => {
    const shift = manifests(fixture('tcp-echo/tcp-echo-20-v2.yaml')).virtualServices[0]!;
    m.mesh.applyVirtualService(shift);
    const got = await shares(listenerOf(m.mesh, 'gateway:31400').localPort);
    expect(Object.keys(got).sort()).toEqual(['one', 'two']);
    // 5σ of a binomial share at p = 0.2, n = 2000: ±4.47 points (a false failure about once in 1.7 million runs).
    const tol = fiveSigma(0.2, N);
    expect(Math.abs(got['two']! / N - 0.2)).toBeLessThan(tol);
    expect(got['one']! + got['two']!).toBe(N);
    shiftedToTwo = got['two']!;
  });

  it('sends every connection to v2 after the last shift', async () => {
    const shift = manifests(fixture('tcp-echo/tcp-echo-20-v2.yaml')).virtualServices[0]!;
    shift.spec.tcp![0]!.route = [{ destination: { host: 'tcp-echo', subset: 'v2', port: { number: 9000 } }, weight: 100 }];
    m.mesh.applyVirtualService(shift);
    expect(await shares(listenerOf(m.mesh, 'gateway:31400').localPort)).toEqual({ two: N });
  });

  it('serves the mesh TCP route on a listener for tcp-echo:9000, half-close included', async () => {
    const l = listenerOf(m.mesh, 'mesh:tcp-echo.default.svc.cluster.local:9000');
    expect(l).toMatchObject({ kind: 'mesh-tcp', port: 9000 });
    // Two lines and a last one without newline: the echo answers after our FIN, and then ends.
    expect(await tcpExchange(l.localPort, 'a\nb\nc')).toEqual({ text: 'two a\ntwo b\ntwo c', ended: true });
  });

  it('closes a connection whose route has no destination with weight, writing nothing (flag UH)', async () => {
    const shift = manifests(fixture('tcp-echo/tcp-echo-20-v2.yaml')).virtualServices[0]!;
    for (const d of shift.spec.tcp![0]!.route!) d.weight = 0;
    m.mesh.applyVirtualService(shift);
    expect((await tcpExchange(listenerOf(m.mesh, 'gateway:31400').localPort, 'hello\n')).text).toBe('');
  });

  it('records Istio\'s TCP metrics: gateway connections with the ingress gateway as source', async () => {
    const samples = await scrape(m.mesh);
    const gw = { reporter: 'source', source_workload: 'istio-ingressgateway', request_protocol: 'tcp' };
    const opened = sumSamples(samples, 'istio_tcp_connections_opened_total', gw);
    // 1 + 3 × N echoed connections, and the one closed for want of a destination.
    expect(opened).toBe(2 + 3 * N);
    expect(sumSamples(samples, 'istio_tcp_connections_closed_total', gw)).toBe(opened);
    expect(sumSamples(samples, 'istio_tcp_connections_opened_total', { ...gw, destination_version: 'v2' })).toBe(N + shiftedToTwo);
    expect(sumSamples(samples, 'istio_tcp_connections_opened_total', { ...gw, destination_version: 'v1' })).toBe(1 + N + (N - shiftedToTwo));
    expect(sumSamples(samples, 'istio_tcp_connections_closed_total', { ...gw, response_flags: 'UH', destination_service: 'unknown' })).toBe(1);
    expect(sumSamples(samples, 'istio_tcp_received_bytes_total', { reporter: 'destination', source_workload: 'unknown', destination_version: 'v2' })).toBe(5);
    expect(sumSamples(samples, 'istio_tcp_sent_bytes_total', { reporter: 'destination', source_workload: 'unknown', destination_version: 'v2' })).toBe(17);
  });
});
