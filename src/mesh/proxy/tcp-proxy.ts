/**
 * The TCP listeners' connection handler, Envoy's tcp_proxy as Istio configures it for a TCP route
 * (https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/listeners/tcp_proxy,
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto):
 * per connection it reads the route table once, takes the listener's route, draws one of its
 * `weighted_clusters` (so the weighted pick is per connection, never per byte or line), picks an
 * endpoint with the cluster's load balancer and proxies bytes both ways. Half-close is kept: a FIN
 * from one side ends the other side's writing and the connection stays open the other way, as
 * Envoy's tcp_proxy does. No route (flag NR), no destination with weight or no endpoint (UH), or an
 * upstream connect failure (UF): the downstream connection is closed with nothing written.
 * Istio's TCP metrics are recorded when the connection closes (and `opened` when the upstream is
 * reached).
 */
import { connect, type Socket } from 'node:net';
import type { Endpoint } from '../endpoints/endpoint.js';
import type { RouteTable } from '../config/route-table.js';
import type { DestinationId, IstioMetrics } from '../telemetry/metrics.js';
import type { TcpSeries } from '../telemetry/tcp-metrics.js';
import { Flag } from './local-reply.js';

/** Options of {@link createTcpHandler}. */
export interface TcpProxyOptions {
  /** The route table in force (read once per connection). */
  table: () => RouteTable;
  /** The listener's key in `RouteTable.tcp`. */
  key: string;
  /** The metrics view whose source labels this listener's clients get. */
  metrics: IstioMetrics;
  /** Uniform random source for the weighted pick and load balancing. */
  random: () => number;
}

/** A TCP listener's handler and its open connections. */
export interface TcpHandler {
  /** The server's `connection` listener. */
  onConnection(downstream: Socket): void;
  /** Connections open now. */
  readonly open: number;
  /** Destroys every open connection. */
  closeAll(): void;
}

/** Creates the handler of one TCP listener (its server must be created with `allowHalfOpen: true`). */
export function createTcpHandler(o: TcpProxyOptions): TcpHandler {
  const sockets = new Set<Socket>();
  const tcp = o.metrics.tcp;

  const onConnection = (down: Socket) => {
    const table = o.table();
    table.inFlight++;
    sockets.add(down);
    let dest: DestinationId;
    let endpoint: Endpoint | undefined;
    let up: Socket | undefined;
    let flag: string = Flag.NONE;
    let opened: TcpSeries | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      table.inFlight--;
      sockets.delete(down);
      if (endpoint) endpoint.active--;
      const src = opened ?? tcp.series('source', dest, flag);
      if (!opened) src.opened++;
      src.closed++;
      src.received += down.bytesRead;
      src.sent += down.bytesWritten;
      if (up && endpoint && flag === Flag.NONE) {
        const dst = tcp.series('destination', endpoint.workload, Flag.NONE);
        dst.closed++;
        dst.received += up.bytesWritten;
        dst.sent += up.bytesRead;
      }
    };
    const refuse = (f: string) => {
      flag = f;
      down.destroy();
    };
    down.on('close', finish);
    down.on('error', () => up?.destroy());

    const route = table.tcp.get(o.key);
    if (!route) return refuse(Flag.NO_ROUTE);
    const cluster = route.pick(o.random);
    if (!cluster) return refuse(Flag.NO_HEALTHY_UPSTREAM);
    dest = cluster.service.ref;
    const ep = cluster.lb.pick(o.random);
    if (!ep) return refuse(Flag.NO_HEALTHY_UPSTREAM);
    endpoint = ep;
    dest = ep.workload;
    ep.active++;
    // Bytes that arrive before the upstream is connected wait in the downstream socket.
    down.pause();
    const u = connect({ host: ep.host, port: ep.port, allowHalfOpen: true });
    up = u;
    u.once('connect', () => {
      opened = tcp.series('source', dest, Flag.NONE);
      opened.opened++;
      tcp.series('destination', ep.workload, Flag.NONE).opened++;
      // pipe() ends the destination's writing side when its source ends: half-close both ways.
      down.pipe(u);
      u.pipe(down);
      down.resume();
    });
    u.on('error', () => {
      if (!opened) flag = Flag.UPSTREAM_CONNECT_FAILURE;
      down.destroy();
    });
    u.on('close', () => {
      // The upstream is gone: whatever the downstream still writes has nowhere to go.
      if (!down.writableEnded) down.end();
      if (u.readableEnded === false) down.destroy();
    });
    down.on('close', () => u.destroy());
  };

  return {
    onConnection,
    get open() {
      return sockets.size;
    },
    closeAll() {
      for (const s of sockets) s.destroy();
    },
  };
}
