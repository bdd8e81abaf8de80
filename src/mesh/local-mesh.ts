/**
 * `createLocalMesh`: the embedded data plane. Validates and compiles the manifests (every problem at
 * once, before anything starts), starts the admin server (so /ready answers 503 while starting),
 * the backends, then the proxy. `applyVirtualService` (and PUT on the admin API, `config-api.ts`)
 * compiles a new route table and swaps it in atomically; `applyConfig` replaces the whole
 * configuration, backends included (`live-config.ts`). Requests already routed keep the table
 * they started with. Gateways and TCP routes get listeners of their own (`listeners.ts`), opened and
 * closed to follow each configuration swapped in. A `configSource` (e.g. the Kubernetes watch, `kube-source.ts`) holds /ready
 * at 503 until its first configuration is applied and makes the admin API read-only.
 */
import type { Server } from 'node:http';
import { createDownstreamServer, type DownstreamServer } from './proxy/downstream.js';
import { formatProblem, RuntimeError, ValidationError } from '../errors.js';
import { VERSION } from '../version.js';
import { createAdminServer } from './admin/admin-server.js';
import { statsText as clusterStatsText } from './endpoints/cluster-stats.js';
import type { ServiceRegistry } from './config/clusters.js';
import { createBackendPool } from './backends/backends.js';
import type { VirtualServiceStore } from './admin/config-api.js';
import { objectLabel } from './config/diagnostics.js';
import { originsByLabel } from './check-config.js';
import { listenOn, parseListenAddress, urlOf } from './admin/listen-address.js';
import { compileConfig, createLiveConfig } from './live-config.js';
import { createIstioMetrics } from './telemetry/metrics.js';
import { createProxyHandler } from './proxy/proxy.js';
import { vsKey } from './config/route-table.js';
import type { LocalMesh, LocalMeshOptions } from './types.js';
import { createUpstreamClient } from './proxy/upstream.js';
import { createOutlierEventLog, outlierStatsOf } from './config/outlier-stats.js';
import { createListenerSet } from './listeners.js';

/** How long `close()` lets in-flight requests finish before cutting connections, ms. */
const CLOSE_GRACE_MS = 2000;

/** Starts a local mesh serving `options`' VirtualServices and DestinationRules. */
export async function createLocalMesh(options: LocalMeshOptions): Promise<LocalMesh> {
  const ns = options.namespace ?? 'default';
  const random = options.random ?? Math.random;
  const source = options.configSource;
  const compileOptions = { namespace: ns, backends: options.backends ?? [] };
  // With a source the given objects are only a starting point, and backend overrides wait for the subsets it brings.
  const initial = compileConfig({ ...options, gateways: options.gateways ?? [] }, {
    ...compileOptions,
    origins: originsByLabel({ virtualServices: options.virtualServices ?? [], destinationRules: options.destinationRules ?? [], gateways: options.gateways ?? [], namespace: ns, ...(options.origins ? { origins: options.origins } : {}) }),
    live: source !== undefined,
  });
  if (initial.errors.length) {
    throw new ValidationError(initial.errors, { hint: 'fix the manifests (or the backends) listed above' });
  }
  const listen = parseListenAddress(options.listen ?? '127.0.0.1:15001', 'listen');
  const adminAddr = parseListenAddress(options.admin ?? '127.0.0.1:15020', 'admin');

  const metrics = createIstioMetrics();
  const upstream = createUpstreamClient();
  let started = false;
  const warnings = initial.warnings;
  for (const w of warnings) options.logger?.warn(formatProblem(w));
  const pool = createBackendPool({
    cwd: options.cwd ?? '.',
    ...(options.env ? { env: options.env } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    ...(options.children ? { children: options.children } : {}),
  });
  const outlierLog = createOutlierEventLog();
  const outlier = {
    now: options.now ?? (() => performance.now()),
    onEvent: (e: Parameters<typeof outlierLog.push>[0]) => {
      outlierLog.push(e);
      options.logger?.info(`local mesh: ${e.message} (${e.cluster})`);
      options.onOutlierEvent?.(e);
    },
  };
  // A whole reconfiguration opens its new listeners before its swap and is refused when one cannot open.
  const stageListeners = (table: Parameters<typeof listeners.stage>[0]) => listeners.stage(table);
  const live = createLiveConfig(initial, { ...compileOptions, pool, warnings, outlier, stageListeners, ...(options.logger ? { logger: options.logger } : {}) });
  const ready = () => started && (source?.ready() ?? true);

  const store: VirtualServiceStore = {
    namespace: ns,
    writable: !source && options.configWrites === true,
    ...(source ? { readOnlyReason: source.readOnlyReason } : {}),
    get(namespace, name) {
      const vs = live.find(namespace, name);
      if (!vs) return undefined;
      const key = vsKey(vs, ns);
      const rv = source?.resourceVersionOf?.(objectLabel('VirtualService', namespace, name)) ?? String(live.versionOf(key));
      return { resourceVersion: rv, generation: live.generation, virtualService: structuredClone(vs) };
    },
    replace(vs) {
      applyVirtualService(vs);
      return store.get(vs.metadata.namespace ?? ns, vs.metadata.name)!;
    },
    getRule(namespace, name) {
      const dr = live.destinationRules.find((r) => (r.metadata?.namespace ?? ns) === namespace && r.metadata?.name === name);
      if (!dr) return undefined;
      const rv = source?.resourceVersionOf?.(objectLabel('DestinationRule', namespace, name)) ?? String(live.ruleVersionOf(`${namespace}/${name}`));
      return { resourceVersion: rv, generation: live.generation, destinationRule: structuredClone(dr) };
    },
    async replaceRule(dr) {
      await applyObjects({ destinationRules: [dr] });
      return store.getRule!(dr.metadata.namespace ?? ns, dr.metadata.name)!;
    },
  };
  const proxyOptions = {
    table: () => live.table,
    upstream,
    metrics,
    random,
    shadowHostSuffix: options.shadowHostSuffix === true,
    onError: (err: unknown) => options.logger?.error(`local mesh: ${(err as Error)?.stack ?? String(err)}`),
  };
  const listeners = createListenerSet({
    host: listen.host,
    portOffset: options.portOffset ?? 'free',
    proxy: proxyOptions,
    metrics,
    ...(options.logger ? { logger: options.logger } : {}),
    closeHttp: closeServer,
  });
  // A VirtualService alone can add or drop a mesh TCP listener; the swap itself is synchronous.
  const applyVirtualService = (vs: Parameters<typeof live.applyVirtualService>[0]) => {
    live.applyVirtualService(vs);
    listeners.sync(live.table).catch((err: unknown) => options.logger?.error(`local mesh: ${(err as Error)?.message ?? String(err)}`));
  };
  // Objects replaced by name through one whole reconfiguration; the listeners follow, as for applyConfig.
  const applyObjects = (objects: Parameters<typeof live.applyObjects>[0]) => live.applyObjects(objects);
  let proxyUrl: string | undefined;
  const admin = createAdminServer({
    ready,
    metricsText: () => metrics.render(),
    statsText: () => (started ? clusterStatsText(clustersOf(live.table.registry)) : ''),
    configDump: () => ({
      ...(source ? { source: source.kind } : {}),
      generation: live.generation,
      virtualServices: live.virtualServices,
      destinationRules: live.destinationRules,
      gateways: live.gateways,
      listeners: listeners.list(),
      ...source?.dump(),
    }),
    info: () => ({
      proxyUrl,
      listeners: listeners.list().map((l) => ({ name: l.name, port: l.port, url: l.url })),
      namespace: ns,
      generation: live.generation,
      ready: ready(),
      configWrites: store.writable,
      version: VERSION,
      ...(source ? { source: source.kind, ...source.info() } : {}),
    }),
    config: store,
  });
  // The raw-socket front end; it hands what it does not handle to node:http (proxy/downstream.ts).
  const proxy = createDownstreamServer(createProxyHandler(proxyOptions));

  const stopServers = async () => {
    await Promise.all([closeServer(proxy), closeServer(admin), listeners.close()]);
    await upstream.close();
  };
  let adminBound;
  let proxyBound;
  try {
    adminBound = await listenOn(admin, adminAddr, 'admin');
    await live.start();
    proxyBound = await listenOn(proxy, listen, 'listen');
    await listeners.sync(live.table);
  } catch (err) {
    await stopServers();
    await pool.close();
    throw err;
  }
  started = true;
  proxyUrl = urlOf(proxyBound);
  let closed: Promise<void> | undefined;

  return {
    url: proxyUrl,
    adminUrl: urlOf(adminBound),
    listeners: () => listeners.list(),
    warnings,
    get generation() {
      return live.generation;
    },
    getVirtualService(namespace, name) {
      const vs = live.find(namespace, name);
      return vs ? structuredClone(vs) : undefined;
    },
    applyVirtualService,
    getDestinationRules: () => structuredClone([...live.destinationRules]),
    applyObjects: (objects) => {
      if (closed) return Promise.reject(new RuntimeError('the local mesh is closed'));
      return applyObjects(objects);
    },
    checkConfig: (config) => compileConfig(config, { ...compileOptions, live: true }).errors,
    applyConfig: (config) => {
      if (closed) return Promise.reject(new RuntimeError('the local mesh is closed'));
      return live.apply(config);
    },
    metricsText: () => metrics.render(),
    outlierStats: () => outlierStatsOf(live.registry),
    outlierEvents: () => outlierLog.list(),
    close() {
      closed ??= (async () => {
        started = false;
        live.close();
        await stopServers();
        await pool.close();
      })();
      return closed;
    },
  };
}

/** Stops accepting, lets in-flight requests finish for a grace period, then cuts what remains. */
function closeServer(server: Server | DownstreamServer): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Every cluster of the registry: each service's subsets, then the whole-service one. */
function* clustersOf(registry: ServiceRegistry) {
  for (const svc of registry.services.values()) {
    yield* svc.subsets.values();
    yield svc.all;
  }
}
