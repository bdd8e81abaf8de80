/**
 * The configuration a local mesh serves and how it changes while it runs. `compileConfig` is the
 * one check of a configuration (the same at start-up and for live changes); `createLiveConfig`
 * holds what is in force — objects, workload plan, service registry, route table — and swaps it:
 * one VirtualService (`applyVirtualService`, synchronous, against the running services) or the
 * whole configuration (`apply`, which may start and stop backends). Requests keep the table they
 * started with; backends a new plan drops are stopped once those requests are done.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../context.js';
import { formatProblem, type Problem, RuntimeError, ValidationError } from '../errors.js';
import type { DestinationRule, Gateway, VirtualService } from '../istio/types.js';
import { formatPath } from '../input/locate.js';
import { destinationRuleSchema, gatewaySchema, virtualServiceSchema } from '../istio/manifest-schema.js';
import type { BackendSpec } from '../experiment/schema.js';
import type { BackendPool } from './backends/backends.js';
import { createServiceRegistry, type OutlierDeps, type ServiceRegistry } from './config/clusters.js';
import { createDiagnostics, type Diagnostics, type ObjectOrigin, objectLabel } from './config/diagnostics.js';
import { compileVirtualService, createRouteTable, type RouteTable, vsKey } from './config/route-table.js';
import type { MeshConfig } from './types.js';
import { reportUnsupportedDestinationRule, reportUnsupportedVirtualService } from './config/unsupported.js';
import { planWorkloads, type ServicePlan } from './config/workload-plan.js';

/** Longest wait for requests routed by superseded tables before their dropped backends stop, ms. */
const DRAIN_MAX_MS = 30_000;
/** How often the drain looks at the superseded tables' in-flight counts, ms. */
const DRAIN_POLL_MS = 50;

/** How {@link compileConfig} checks. */
export interface CompileOptions {
  /** Namespace of objects without one. */
  namespace: string;
  /** Backend overrides per (host, subset). */
  backends: readonly BackendSpec[];
  /** Live change: manifest schema checked, backend overrides for absent subsets ignored. @default false */
  live?: boolean;
  /** Where objects were read, by label, so problems name the file. @default none */
  origins?: ReadonlyMap<string, ObjectOrigin>;
}

/** A checked configuration. */
export interface CompiledConfig {
  /** Deep copies of the objects, one per namespace/name. */
  virtualServices: VirtualService[];
  /** Deep copies of the objects, one per namespace/name. */
  destinationRules: DestinationRule[];
  /** Deep copies of the objects, one per namespace/name. */
  gateways: Gateway[];
  /** The workloads it needs. */
  plans: Map<string, ServicePlan>;
  /** Problems that refuse it. */
  errors: Problem[];
  /** Fields reported and not honoured. */
  warnings: Problem[];
}

/** Checks a configuration completely, without starting anything (routes compiled against endpoint-less clusters). */
export function compileConfig(config: MeshConfig, o: CompileOptions): CompiledConfig {
  const ns = o.namespace;
  const diag = createDiagnostics('', [], [], o.origins);
  const virtualServices = dedupe(objects(config.virtualServices, 'VirtualService', diag), ns);
  const destinationRules = dedupe(objects(config.destinationRules, 'DestinationRule', diag), ns);
  const gateways = dedupe(objects(config.gateways ?? [], 'Gateway', diag), ns);
  if (o.live) {
    for (const vs of virtualServices) schemaProblems(vs, virtualServiceSchema, ns, diag);
    for (const dr of destinationRules) schemaProblems(dr, destinationRuleSchema, ns, diag);
    for (const gw of gateways) schemaProblems(gw, gatewaySchema, ns, diag);
  }
  for (const vs of virtualServices) reportUnsupportedVirtualService(vs, ns, diag);
  for (const dr of destinationRules) reportUnsupportedDestinationRule(dr, ns, diag);
  const plans = planWorkloads({ virtualServices, destinationRules, backends: o.backends, namespace: ns, unmatchedBackends: o.live ? 'ignore' : 'error' }, diag);
  createRouteTable({ virtualServices, gateways, registry: createServiceRegistry(plans, () => []), namespace: ns }, diag);
  return { virtualServices, destinationRules, gateways, plans, errors: diag.errors, warnings: diag.warnings };
}

/** Options of {@link createLiveConfig}. */
export interface LiveConfigOptions extends CompileOptions {
  /** Starts and stops the backends. */
  pool: BackendPool;
  /** The mesh's warnings (each logged once when added). */
  warnings: Problem[];
  /** Where new warnings go. */
  logger?: Logger;
  /** Clock and event sink of the clusters' outlier detectors. @default performance.now, no events */
  outlier?: OutlierDeps;
  /**
   * Opens the listeners a new table needs before it is swapped in; when it rejects, the whole change
   * is refused (backends it started stopped again). `commit` runs right after the swap. @default none
   */
  stageListeners?: (table: RouteTable) => Promise<{ commit(): Promise<void>; abort(): Promise<void> }>;
}

/** The configuration in force. */
export interface LiveConfig {
  /** Monotonic count of configuration changes. */
  readonly generation: number;
  /** The route table in force (after `start`). */
  readonly table: RouteTable;
  /** The VirtualServices in force. */
  readonly virtualServices: readonly VirtualService[];
  /** The DestinationRules in force. */
  readonly destinationRules: readonly DestinationRule[];
  /** The Gateways in force. */
  readonly gateways: readonly Gateway[];
  /** The VirtualService in force by namespace and name. */
  find(namespace: string, name: string): VirtualService | undefined;
  /** Generation of the last write of a VirtualService ("namespace/name"); 0 for objects in force since start. */
  versionOf(key: string): number;
  /** Generation of the last write of a DestinationRule ("namespace/name"); 0 for objects in force since start. */
  ruleVersionOf(key: string): number;
  /** The service registry in force (after `start`): clusters and their load balancers. */
  readonly registry: ServiceRegistry | undefined;
  /** Starts the backends of the initial configuration and builds its table. */
  start(): Promise<void>;
  /** Replaces or adds one VirtualService (see `LocalMesh.applyVirtualService`). */
  applyVirtualService(vs: VirtualService): void;
  /** See `LocalMesh.applyConfig`. */
  apply(config: MeshConfig): Promise<void>;
  /** See `LocalMesh.applyObjects`: the objects replace their namespace/name in the configuration in force when the change's turn comes. */
  applyObjects(objects: Partial<MeshConfig>): Promise<void>;
  /** Stops waiting for drains (the pool's close stops what they would have). */
  close(): void;
}

/** Creates the live configuration from a configuration `compileConfig` accepted. */
export function createLiveConfig(initial: CompiledConfig, o: LiveConfigOptions): LiveConfig {
  const ns = o.namespace;
  let vsList = initial.virtualServices;
  let drList = initial.destinationRules;
  let gwList = initial.gateways;
  let plans = initial.plans;
  let registry: ServiceRegistry | undefined;
  let table: RouteTable | undefined;
  let generation = 0;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let versions = new Map<string, number>();
  let ruleVersions = new Map<string, number>();
  const superseded = new Set<RouteTable>();

  const addWarnings = (list: readonly Problem[]) => {
    for (const w of list) {
      if (o.warnings.some((x) => x.path === w.path && x.message === w.message)) continue;
      o.warnings.push(w);
      o.logger?.warn(formatProblem(w));
    }
  };
  const swap = (next: RouteTable) => {
    // One assignment: requests read `table` once when they arrive and keep it.
    if (table) superseded.add(table);
    table = next;
    generation++;
  };
  // Resolves once no request routed by a table superseded so far is in flight (or after DRAIN_MAX_MS).
  const drained = async () => {
    const waitFor = [...superseded];
    const end = Date.now() + DRAIN_MAX_MS;
    while (!closed && waitFor.some((t) => t.inFlight > 0) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS).unref());
    }
    for (const t of waitFor) if (t.inFlight <= 0) superseded.delete(t);
  };

  const applyVirtualService = (input: VirtualService) => {
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
    const nextTable = createRouteTable({ virtualServices: next, gateways: gwList, registry: reg, namespace: ns }, scratch);
    const label = objectLabel('VirtualService', vs.metadata?.namespace ?? ns, vs.metadata?.name ?? '?');
    addWarnings([...d.warnings, ...scratch.warnings.filter((w) => w.message.includes(label))]);
    vsList = next;
    swap(nextTable);
    versions.set(key, generation);
  };

  const applyNow = async (config: MeshConfig) => {
    const c = compileConfig(config, { ...o, live: true });
    if (c.errors.length) throw new ValidationError(c.errors, { hint: 'the configuration was not applied; the previous one stays in force' });
    let reg = registry!;
    let retire: (() => Promise<void>) | undefined;
    let revert: (() => Promise<void>) | undefined;
    if (planSignature(c.plans) !== planSignature(plans)) {
      const set = await o.pool.sync(c.plans);
      revert = set.revert;
      // Clusters keeping their names carry their stats and connections on (Envoy keeps stats by name).
      reg = createServiceRegistry(c.plans, set.endpointsOf, o.outlier, registry);
      if (set.dropped) retire = set.retire;
    }
    const nextTable = createRouteTable({ virtualServices: c.virtualServices, gateways: c.gateways, registry: reg, namespace: ns }, createDiagnostics());
    // All or nothing: the new listeners open before the swap; one that cannot open refuses the change.
    let staged: Awaited<ReturnType<NonNullable<LiveConfigOptions['stageListeners']>>> | undefined;
    try {
      staged = await o.stageListeners?.(nextTable);
    } catch (err) {
      await revert?.();
      const hint = (err as { hint?: string })?.hint;
      throw new RuntimeError(`the configuration was not applied: ${(err as Error)?.message ?? String(err)}`, { hint: `${hint ? `${hint}; ` : ''}the previous configuration stays in force, listeners and backends included`, cause: err });
    }
    addWarnings(c.warnings);
    const before = new Map(vsList.map((v) => [objectKey(v, ns), v]));
    const rulesBefore = new Map(drList.map((r) => [objectKey(r, ns), r]));
    vsList = c.virtualServices;
    drList = c.destinationRules;
    gwList = c.gateways;
    plans = c.plans;
    registry = reg;
    swap(nextTable);
    versions = nextVersions(vsList, before, versions, generation, ns);
    ruleVersions = nextVersions(drList, rulesBefore, ruleVersions, generation, ns);
    if (retire) void drained().then(retire);
    await staged?.commit();
  };

  return {
    get generation() {
      return generation;
    },
    get table() {
      return table!;
    },
    get virtualServices() {
      return vsList;
    },
    get destinationRules() {
      return drList;
    },
    get gateways() {
      return gwList;
    },
    get registry() {
      return registry;
    },
    find: (namespace, name) => vsList.find((v) => (v.metadata?.namespace ?? ns) === namespace && v.metadata?.name === name),
    versionOf: (key) => versions.get(key) ?? 0,
    ruleVersionOf: (key) => ruleVersions.get(key) ?? 0,
    async start() {
      const set = await o.pool.sync(plans);
      registry = createServiceRegistry(plans, set.endpointsOf, o.outlier);
      table = createRouteTable({ virtualServices: vsList, gateways: gwList, registry, namespace: ns }, createDiagnostics());
    },
    applyVirtualService,
    apply(config) {
      const run = queue.then(() => applyNow(config));
      queue = run.catch(() => undefined);
      return run;
    },
    applyObjects(objects) {
      // Merged when its turn comes, so a change queued before this one is not undone by it.
      const run = queue.then(() =>
        applyNow({ virtualServices: replaced(vsList, objects.virtualServices, ns), destinationRules: replaced(drList, objects.destinationRules, ns), gateways: replaced(gwList, objects.gateways, ns) }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    close() {
      closed = true;
    },
  };
}

/**
 * What decides whether a registry can be kept: services, their policies (connection pool included:
 * a cluster's circuit breaker is made with its limits) and workloads.
 */
function planSignature(plans: ReadonlyMap<string, ServicePlan>): string {
  return JSON.stringify([...plans.values()].map((s) => [s.fqdn, s.lb, s.outlier ?? null, s.hash ?? null, s.pool ?? null, [...s.workloads].map(([k, w]) => [k, w.lb, w.outlier ?? null, w.hash ?? null, w.pool ?? null, w.replicas, w.workload, w.demo, w.command ?? null, w.tcpEcho ?? null])]));
}

/** Manifest-schema problems of a live object, named like compile problems ("Kind ns/name: ..."). */
function schemaProblems(obj: VirtualService | DestinationRule | Gateway, schema: typeof virtualServiceSchema | typeof destinationRuleSchema | typeof gatewaySchema, ns: string, diag: Diagnostics): void {
  const parsed = schema.safeParse(obj);
  if (parsed.success) return;
  const d = diag.forObject(objectLabel(obj.kind, obj.metadata?.namespace ?? ns, obj.metadata?.name ?? '?'));
  for (const i of parsed.error.issues) d.error(formatPath(i.path as (string | number)[]), i.message);
}

/** Deep copies of the well-formed objects of `list`; anything else is an error. */
function objects<T extends { kind: string; metadata: { name: string }; spec: unknown }>(list: readonly T[], kind: string, diag: Diagnostics): T[] {
  const out: T[] = [];
  (list ?? []).forEach((o, i) => {
    const ok = o !== null && typeof o === 'object' && o.kind === kind && typeof o.metadata?.name === 'string' && o.spec !== null && typeof o.spec === 'object';
    if (ok) out.push(structuredClone(o));
    else diag.error(`${kind === 'VirtualService' ? 'virtualServices' : kind === 'Gateway' ? 'gateways' : 'destinationRules'}[${i}]`, `expected a ${kind} with metadata.name and spec`);
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

type Named = { metadata: { name: string; namespace?: string } };

/** "namespace/name" of an object (the mesh's namespace when it names none). */
function objectKey(o: Named, ns: string): string {
  return `${o.metadata?.namespace ?? ns}/${o.metadata?.name ?? ''}`;
}

/** `list` with each object of `changes` in place of the one of its namespace/name (appended when new). */
function replaced<T extends Named>(list: readonly T[], changes: readonly T[] | undefined, ns: string): T[] {
  const out = [...list];
  for (const o of changes ?? []) {
    const i = out.findIndex((x) => objectKey(x, ns) === objectKey(o, ns));
    if (i >= 0) out[i] = o;
    else out.push(o);
  }
  return out;
}

/** The versions after a change: an object's version moves only when the object does. */
function nextVersions<T extends Named>(list: readonly T[], before: ReadonlyMap<string, T>, versions: ReadonlyMap<string, number>, generation: number, ns: string): Map<string, number> {
  const next = new Map<string, number>();
  for (const o of list) {
    const key = objectKey(o, ns);
    const old = before.get(key);
    next.set(key, old && isDeepStrictEqual(old, o) ? (versions.get(key) ?? 0) : generation);
  }
  return next;
}
