/**
 * The mesh's extra listeners — Gateway ports and mesh TCP service ports — opened and closed to follow
 * the route table in force (`RouteTable.listeners`). A listener lives as long as its key is in the
 * configuration: a live change that keeps it keeps its socket and its local port; requests and
 * connections read the table in force when they arrive.
 *
 * Local ports: declared ports such as 80 need root, so each is mapped: with a numeric `portOffset`
 * the local port is `offset + declared port` (the CLI's default 10000 gives 80 → 10080,
 * 31400 → 41400), with `"free"` the system picks a free one. A mapped port above 65535, or one
 * another listener of this mesh already took (two services on one TCP port), falls back to a free
 * port with a warning. The mapping is shown by `LocalMesh.listeners`, the startup output of
 * `mesh-exp mesh`, /info and /config_dump.
 */
import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import type { Logger } from '../context.js';
import { listenOn, urlOf } from './admin/listen-address.js';
import type { ListenerSpec } from './config/listener-table.js';
import type { RouteTable } from './config/route-table.js';
import { createDownstreamServer, type DownstreamServer } from './proxy/downstream.js';
import { createProxyHandler, type ProxyOptions } from './proxy/proxy.js';
import { createTcpHandler, type TcpHandler } from './proxy/tcp-proxy.js';
import { INGRESS_GATEWAY, type IstioMetrics } from './telemetry/metrics.js';
import type { MeshListener } from './types.js';

/** Options of {@link createListenerSet}. */
export interface ListenerSetOptions {
  /** Address the listeners bind (the mesh listener's host). */
  host: string;
  /** `offset + declared port`, or "free". */
  portOffset: number | 'free';
  /** What the HTTP handlers share with the mesh listener's (table, upstream, random, ...). */
  proxy: Omit<ProxyOptions, 'gateway'>;
  /** The mesh's metrics (gateway listeners record through its ingress-gateway view). */
  metrics: IstioMetrics;
  /** Where fallbacks are reported. */
  logger?: Logger;
  /** Closes an HTTP server gracefully (the mesh's own close). */
  closeHttp: (server: HttpServer | DownstreamServer) => Promise<void>;
}

/** Listeners opened for a table not in force yet (see {@link ListenerSet.stage}). */
export interface StagedListeners {
  /** Call once the table is in force: the opened listeners join the set, the dropped ones close. */
  commit(): Promise<void>;
  /** Call when the table will not be put in force: closes what was opened for it. */
  abort(): Promise<void>;
}

/** The open listeners. */
export interface ListenerSet {
  /** Opens the listeners of `table` not open yet and closes those it no longer has. */
  sync(table: RouteTable): Promise<void>;
  /**
   * Opens the listeners `table` adds, closing nothing: rejects (with what it opened closed again)
   * when one cannot be opened, so a caller can refuse the whole change before swapping it in. The
   * set waits for the `commit` or `abort` before any other change.
   */
  stage(table: RouteTable): Promise<StagedListeners>;
  /** The open listeners, in the table's order. */
  list(): MeshListener[];
  /** Closes everything. */
  close(): Promise<void>;
}

interface Open {
  spec: ListenerSpec;
  info: MeshListener;
  close: () => Promise<void>;
}

/** Creates an empty set. */
export function createListenerSet(o: ListenerSetOptions): ListenerSet {
  const open = new Map<string, Open>();
  let order: string[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const localPortFor = (spec: ListenerSpec, staged: readonly Open[]): number => {
    if (o.portOffset === 'free') return 0;
    const want = o.portOffset + spec.port;
    const taken = [...open.values(), ...staged].some((x) => x.info.localPort === want);
    if (want <= 65535 && !taken) return want;
    o.logger?.warn(`local mesh: ${spec.name}: local port ${want} is ${taken ? 'already used by another listener of this mesh' : 'above 65535'}; a free port is used instead`);
    return 0;
  };

  const start = async (spec: ListenerSpec, staged: readonly Open[]): Promise<Open> => {
    const port = localPortFor(spec, staged);
    const gateway = spec.kind !== 'mesh-tcp';
    const metrics = gateway ? o.metrics.forSource(INGRESS_GATEWAY) : o.metrics;
    let server: Server;
    let tcp: TcpHandler | undefined;
    if (spec.kind === 'gateway-http') {
      server = createDownstreamServer(createProxyHandler({ ...o.proxy, metrics, gateway: { key: spec.key, port: spec.port } }));
    } else {
      tcp = createTcpHandler({ table: o.proxy.table, key: spec.key, metrics, random: o.proxy.random });
      server = createNetServer({ allowHalfOpen: true }, tcp.onConnection);
    }
    const bound = await listenOn(server, { host: o.host, port }, spec.name);
    const url = spec.kind === 'gateway-http' ? urlOf(bound) : urlOf(bound).replace(/^http:/, 'tcp:');
    const info: MeshListener = { key: spec.key, kind: spec.kind, name: spec.name, port: spec.port, localPort: bound.port, url };
    const close = async () => {
      if (tcp) {
        tcp.closeAll();
        await new Promise<void>((r) => server.close(() => r()));
      } else await o.closeHttp(server as DownstreamServer);
    };
    return { spec, info, close };
  };

  // New listeners are opened before any old one is closed, so a failure changes nothing (a key
  // whose kind changes gets a new socket, on a free port when the old one still holds its port).
  const stageNow = async (table: RouteTable): Promise<StagedListeners> => {
    const wanted = new Map(table.listeners.map((l) => [l.key, l]));
    const gone = [...open.values()].filter((x) => !wanted.has(x.spec.key) || wanted.get(x.spec.key)!.kind !== x.spec.kind);
    const fresh: Open[] = [];
    try {
      for (const spec of table.listeners) if (!open.has(spec.key) || gone.includes(open.get(spec.key)!)) fresh.push(await start(spec, fresh));
    } catch (err) {
      await Promise.all(fresh.map((x) => x.close()));
      throw err;
    }
    return {
      async commit() {
        for (const x of gone) open.delete(x.spec.key);
        for (const x of fresh) open.set(x.spec.key, x);
        for (const spec of table.listeners) open.get(spec.key)!.info.name = spec.name;
        order = table.listeners.map((l) => l.key);
        await Promise.all(gone.map((x) => x.close()));
      },
      abort: () => Promise.all(fresh.map((x) => x.close())).then(() => undefined),
    };
  };

  const stage = (table: RouteTable): Promise<StagedListeners> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const run = queue.then(() => stageNow(table));
    // The set is held until the caller commits or aborts, so no other change interleaves.
    queue = run.then(() => held, () => undefined);
    return run.then((s) => ({
      commit: () => s.commit().finally(release),
      abort: () => s.abort().finally(release),
    }));
  };

  return {
    async sync(table) {
      await (await stage(table)).commit();
    },
    stage,
    list: () => order.flatMap((k) => (open.has(k) ? [{ ...open.get(k)!.info }] : [])),
    async close() {
      await queue;
      const all = [...open.values()];
      open.clear();
      await Promise.all(all.map((x) => x.close()));
    },
  };
}
