/**
 * `createLocalMesh`: the embedded data plane. Validates and compiles the manifests (every problem at
 * once, before anything starts), starts the admin server (so /ready answers 503 while starting),
 * the backends, then the proxy. `applyVirtualService` (and PUT on the admin API, `config-api.ts`)
 * compiles a new route table and swaps it in atomically; requests already routed keep the table
 * they started with.
 */
import { createServer, type Server } from 'node:http';
import { formatProblem, RuntimeError, ValidationError } from '../errors.js';
import type { VirtualService } from '../istio/types.js';
import { VERSION } from '../version.js';
import { createAdminServer } from './admin-server.js';
import type { VirtualServiceStore } from './config-api.js';
import { type Backends, startBackends } from './backends.js';
import { createServiceRegistry, type ServiceRegistry } from './clusters.js';
import { createDiagnostics, type Diagnostics, type ObjectOrigin, objectLabel } from './diagnostics.js';
import { listenOn, parseListenAddress, urlOf } from './listen-address.js';
import { createIstioMetrics } from './metrics.js';
import { createProxyHandler } from './proxy.js';
import { compileVirtualService, createRouteTable, type RouteTable, vsKey } from './route-table.js';
import type { LocalMesh, LocalMeshOptions } from './types.js';
import { reportUnsupportedDestinationRule, reportUnsupportedVirtualService } from './unsupported.js';
import { createUpstreamClient } from './upstream.js';
import { planWorkloads } from './workload-plan.js';

/** How long `close()` lets in-flight requests finish before cutting connections, ms. */
const CLOSE_GRACE_MS = 2000;

/** Starts a local mesh serving `options`' VirtualServices and DestinationRules. */
export async function createLocalMesh(options: LocalMeshOptions): Promise<LocalMesh> {
  const ns = options.namespace ?? 'default';
  const random = options.random ?? Math.random;
  const diag = createDiagnostics('', [], [], originsByLabel(options, ns));
  const virtualServices = dedupe(objects(options.virtualServices, 'VirtualService', diag), ns);
  const destinationRules = dedupe(objects(options.destinationRules, 'DestinationRule', diag), ns);
  for (const vs of virtualServices) reportUnsupportedVirtualService(vs, ns, diag);
  for (const dr of destinationRules) reportUnsupportedDestinationRule(dr, ns, diag);
  const plans = planWorkloads({ virtualServices, destinationRules, backends: options.backends ?? [], namespace: ns }, diag);
  // Compile once against endpoint-less clusters: all routing errors are found before anything starts.
  createRouteTable({ virtualServices, registry: createServiceRegistry(plans, () => []), namespace: ns }, diag);
  if (diag.errors.length) {
    throw new ValidationError(diag.errors, { hint: 'fix the manifests (or the backends) listed above' });
  }
  const listen = parseListenAddress(options.listen ?? '127.0.0.1:15001', 'listen');
  const adminAddr = parseListenAddress(options.admin ?? '127.0.0.1:15020', 'admin');

  const metrics = createIstioMetrics();
  const upstream = createUpstreamClient();
  let ready = false;
  let generation = 0;
  let vsList = virtualServices;
  let table: RouteTable | undefined;
  let registry: ServiceRegistry | undefined;
  let backends: Backends | undefined;
  const warnings = diag.warnings;
  for (const w of warnings) options.logger?.warn(formatProblem(w));

  // Per object: the generation of its last write (its resourceVersion); loaded objects are at 0.
  const versions = new Map<string, number>();
  const find = (namespace: string, name: string) => vsList.find((v) => (v.metadata?.namespace ?? ns) === namespace && v.metadata?.name === name);
  const applyVs = (input: VirtualService) => {
    const reg = registry;
    if (!reg) throw new RuntimeError('the local mesh is still starting; try again once /ready answers 200');
    const vs = structuredClone(input);
    const d = createDiagnostics();
    reportUnsupportedVirtualService(vs, ns, d);
    compileVirtualService(vs, ns, reg, d);
    if (d.errors.length) throw new ValidationError(d.errors, { hint: 'the VirtualService was not applied; the previous routes stay in force' });
    const key = vsKey(vs, ns);
    const i = vsList.findIndex((v) => vsKey(v, ns) === key);
    const next = i >= 0 ? vsList.map((v, j) => (j === i ? vs : v)) : [...vsList, vs];
    const scratch = createDiagnostics();
    const nextTable = createRouteTable({ virtualServices: next, registry: reg, namespace: ns }, scratch);
    const label = objectLabel('VirtualService', vs.metadata?.namespace ?? ns, vs.metadata?.name ?? '?');
    const fresh = [...d.warnings, ...scratch.warnings.filter((w) => w.message.includes(label))];
    for (const w of fresh) {
      if (!warnings.some((x) => x.path === w.path && x.message === w.message)) {
        warnings.push(w);
        options.logger?.warn(formatProblem(w));
      }
    }
    // The swap: one assignment. Requests read `table` once when they arrive.
    vsList = next;
    table = nextTable;
    generation++;
    versions.set(key, generation);
  };
  const store: VirtualServiceStore = {
    namespace: ns,
    writable: options.configWrites === true,
    get(namespace, name) {
      const vs = find(namespace, name);
      if (!vs) return undefined;
      return { resourceVersion: String(versions.get(vsKey(vs, ns)) ?? 0), generation, virtualService: structuredClone(vs) };
    },
    replace(vs) {
      applyVs(vs);
      return store.get(vs.metadata.namespace ?? ns, vs.metadata.name)!;
    },
  };
  let proxyUrl: string | undefined;
  const admin = createAdminServer({
    ready: () => ready,
    metricsText: () => metrics.render(),
    configDump: () => ({ generation, virtualServices: vsList, destinationRules }),
    info: () => ({ proxyUrl, namespace: ns, generation, ready, configWrites: store.writable, version: VERSION }),
    config: store,
  });
  const proxy: Server = createServer(createProxyHandler({
    table: () => table!,
    upstream,
    metrics,
    random,
    shadowHostSuffix: options.shadowHostSuffix === true,
    onError: (err) => options.logger?.error(`local mesh: ${(err as Error)?.stack ?? String(err)}`),
  }));
  proxy.keepAliveTimeout = 30_000;
  proxy.headersTimeout = 31_000;

  const stopServers = async () => {
    await Promise.all([proxy, admin].map((s) => closeServer(s)));
    await upstream.close();
  };
  let adminBound;
  let proxyBound;
  try {
    adminBound = await listenOn(admin, adminAddr, 'admin');
    backends = await startBackends(plans, {
      cwd: options.cwd ?? '.',
      ...(options.env ? { env: options.env } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    });
    registry = createServiceRegistry(plans, backends.endpointsOf);
    table = createRouteTable({ virtualServices: vsList, registry, namespace: ns }, createDiagnostics());
    proxyBound = await listenOn(proxy, listen, 'listen');
  } catch (err) {
    await stopServers();
    await backends?.close();
    throw err;
  }
  ready = true;
  proxyUrl = urlOf(proxyBound);
  let closed: Promise<void> | undefined;

  return {
    url: proxyUrl,
    adminUrl: urlOf(adminBound),
    warnings,
    get generation() {
      return generation;
    },
    getVirtualService(namespace, name) {
      const vs = find(namespace, name);
      return vs ? structuredClone(vs) : undefined;
    },
    applyVirtualService: applyVs,
    metricsText: () => metrics.render(),
    close() {
      closed ??= (async () => {
        ready = false;
        await stopServers();
        await backends?.close();
      })();
      return closed;
    },
  };
}

/** Object origins keyed by the labels diagnostics use ("VirtualService ns/name"). */
function originsByLabel(options: LocalMeshOptions, ns: string): Map<string, ObjectOrigin> | undefined {
  if (!options.origins) return undefined;
  const out = new Map<string, ObjectOrigin>();
  for (const o of [...(options.virtualServices ?? []), ...(options.destinationRules ?? [])]) {
    const origin = o ? options.origins.get(o) : undefined;
    if (origin) out.set(objectLabel(o.kind, o.metadata?.namespace ?? ns, o.metadata?.name ?? '?'), origin);
  }
  return out;
}

/** Deep copies of the well-formed objects of `list`; anything else is an error. */
function objects<T extends { kind: string; metadata: { name: string }; spec: unknown }>(list: readonly T[], kind: string, diag: Diagnostics): T[] {
  const out: T[] = [];
  (list ?? []).forEach((o, i) => {
    const ok = o !== null && typeof o === 'object' && o.kind === kind && typeof o.metadata?.name === 'string' && o.spec !== null && typeof o.spec === 'object';
    if (ok) out.push(structuredClone(o));
    else diag.error(`${kind === 'VirtualService' ? 'virtualServices' : 'destinationRules'}[${i}]`, `expected a ${kind} with metadata.name and spec`);
  });
  return out;
}

/** Keeps the last of objects with the same namespace/name, at the position of the first (like `kubectl apply`). */
function dedupe<T extends { metadata: { name: string; namespace?: string } }>(list: T[], ns: string): T[] {
  const out: T[] = [];
  const at = new Map<string, number>();
  for (const vs of list) {
    const key = `${vs.metadata?.namespace ?? ns}/${vs.metadata?.name ?? ''}`;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push(vs);
    } else out[i] = vs;
  }
  return out;
}

/** Stops accepting, lets in-flight requests finish for a grace period, then cuts what remains. */
function closeServer(server: Server): Promise<void> {
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
