/**
 * Everything a run needs before the first change: the local mesh (provider local: started here, or
 * the running one of `local.attach`), the traffic provider, the load generator and the request
 * template. Nothing here mutates the mesh; a target held by another run is refused here.
 */
import type { Context } from '../context.js';
import { TargetBusyError, UsageError } from '../errors.js';
import { loadManifests } from '../istio/manifests.js';
import { createDefaultLoadGeneratorRegistry } from '../load/registry.js';
import type { LoadGenerator, LoadPlan } from '../load/types.js';
import { loadRateOf } from '../load/rate-profile.js';
import { createAdminClient } from '../mesh/admin/admin-client.js';
import { createLocalMesh } from '../mesh/local-mesh.js';
import { createDefaultMetricSourceRegistry } from '../metrics/registry.js';
import type { MetricSource } from '../metrics/types.js';
import type { LocalMesh } from '../mesh/types.js';
import { createDefaultTrafficRegistry, selectProvider } from '../traffic/registry.js';
import type { TrafficProvider } from '../traffic/types.js';
import { VERSION } from '../version.js';
import { explainBusy } from './refusal.js';
import type { StepPlan } from '../experiment/step-plan.js';
import type { ChildObserver } from '../mesh/types.js';
import { trackGroups } from '../mesh/backends/process-group.js';
import type { RunOptions, RunnableExperiment } from './types.js';
import { createScenarioPicker } from './scenario-picker.js';
import type { DistributedLoad } from '../load/distributed/distributed-load.js';
import { distributedLoadOf } from './distributed-side.js';
import { createRunNotifications, withoutNotifySecrets, type RunNotifications } from '../notify/index.js';

/** What a run works with. */
export interface RunSetup {
  /** The traffic provider, preflighted. */
  provider: TrafficProvider;
  /** The load generator; undefined for generator "none" (live traffic), and for distributed load until the run has its journal. */
  generator: LoadGenerator | undefined;
  /** Load run in the cluster (`load.distributed`); its generator is made once the journal is open. @default absent */
  distributed?: DistributedLoad;
  /** The load plan of a step of `durationMs`. */
  loadPlan(durationMs: number): LoadPlan;
  /** The local mesh, for provider local. */
  mesh: LocalMesh | undefined;
  /** Prometheus, when spec.metrics.prometheus is set (pinged in preflight). */
  metrics: MetricSource | undefined;
  /** Reads the local mesh's metrics as Prometheus text (in-process or attached); undefined for a cluster. */
  meshMetrics?: () => Promise<string>;
  /** Reads the local mesh's Envoy cluster stats (GET /stats of its admin, in-process or attached); undefined for a cluster. */
  meshStats?: () => Promise<string>;
  /** Environment facts for the report. */
  environment: Record<string, string>;
  /** The run's notifications (`spec.notify`; without targets, every call does nothing). */
  notify: RunNotifications;
  /** Stops the mesh (if started: its backend processes too) and releases the provider; safe to call twice. */
  close(): Promise<void>;
}

/** The proxy URL of the running mesh whose admin URL is `attach` (where the run's load goes). */
async function attachedProxyUrl(attach: string): Promise<string> {
  const client = createAdminClient({ url: attach });
  try {
    return (await client.info()).proxyUrl;
  } finally {
    await client.close();
  }
}

/** Reads the metrics of the running mesh whose admin URL is `attach`. */
async function adminText(admin: string, which: 'metricsText' | 'statsText'): Promise<string> {
  const client = createAdminClient({ url: admin });
  try {
    return await client[which]();
  } finally {
    await client.close();
  }
}

/**
 * Starts what the experiment needs and preflights the provider; on failure, closes what it started.
 * `children` is told about every backend process the in-process mesh starts (the run journals them);
 * `runDir` opens the run directory, where an engine writes the files it runs (k6's script).
 */
export async function setUpRun(
  loaded: RunnableExperiment,
  ctx: Context,
  plan: StepPlan,
  options: RunOptions,
  children?: ChildObserver,
  runDir?: () => Promise<string>,
): Promise<RunSetup> {
  const { target, load, local, metrics: metricsSpec, notify: notifySpec } = loaded.experiment.spec;
  // The webhook URLs first: a missing secret is a usage error before anything starts.
  const notify = await createRunNotifications(notifySpec, ctx, loaded.dir);
  // Resolve the generator first: an unknown one is a usage error, before anything starts.
  const registry = options.loadRegistry ?? createDefaultLoadGeneratorRegistry();
  // Distributed load runs in the cluster: no local engine is needed, nor preflighted.
  const distributed = distributedLoadOf(loaded, ctx, options);
  // One engine, the one named: a missing external engine fails preflight, never replaced by another.
  const generator =
    load.generator === 'none' || distributed
      ? undefined
      : registry.create(load.generator, { ...ctx, experiment: { experiment: loaded.experiment, dir: loaded.dir, ...(loaded.scenario ? { scenario: loaded.scenario } : {}) }, ...(runDir ? { runDir } : {}) });
  // An external engine that is missing is a usage error now, before the mesh starts or changes;
  // never replaced by another engine.
  await generator?.preflight?.();
  let mesh: LocalMesh | undefined;
  let provider: TrafficProvider | undefined;
  let closed: Promise<void> | undefined;
  // Once only: the runner closes on every way out, some of them twice.
  const close = () =>
    (closed ??= (async () => {
      // The load first: no pod keeps sending once the run is over.
      await distributed?.close().catch((err: unknown) => ctx.logger.warn(`deleting the distributed load's objects: ${(err as Error).message}; \`mesh-exp recover\` deletes them`));
      await provider?.close().catch(() => {});
      await mesh?.close();
    })());
  try {
    const { name: providerName, entry } = selectProvider(options.trafficRegistry ?? createDefaultTrafficRegistry(), target.provider, local?.attach);
    const deps = { name: providerName, target, plannedStates: [...plan.steps.map((s) => s.state), ...(plan.promote ? [plan.promotionState] : [])], failpoint: ctx.failpoint };
    // Where load goes through the mesh (in-process or attached): that mesh's proxy.
    let proxyUrl: string | undefined;
    let endpoint: string | undefined;
    if (entry.reach === 'in-process') {
      if (!local?.manifests) {
        throw new UsageError(`provider ${target.provider} needs a \`local\` section with the manifests to serve, or the mesh to attach to`, {
          hint: 'add spec.local.manifests: [path/to/virtual-service.yaml, ...], or spec.local.attach: http://127.0.0.1:15020',
        });
      }
      const manifests = loaded.manifests ?? (await loadManifests(local.manifests, loaded.dir));
      const started = await (options.createMesh ?? createLocalMesh)({
        virtualServices: manifests.virtualServices,
        destinationRules: manifests.destinationRules,
        ...(manifests.gateways?.length ? { gateways: manifests.gateways } : {}),
        backends: local.backends,
        listen: local.listen,
        admin: local.admin,
        cwd: loaded.dir,
        // Backend commands get the context's environment, never the process's directly, and
        // without the variables that hold a notify target's webhook URL (a secret of mesh-exp's).
        env: withoutNotifySecrets(ctx.env, loaded.experiment.spec.notify),
        // The mesh logs its own warnings (unsupported fields) through this logger.
        logger: ctx.logger,
        // Tracked in the context from the spawn on (main() kills them on an immediate exit), journaled by `children`.
        children: trackGroups(ctx.processGroups, children),
      });
      mesh = started;
      proxyUrl = mesh.url;
      if (!generator) ctx.logger.warn('load.generator is "none" but the local mesh has no live traffic: every check will have no data');
      provider = entry.create({ ...deps, mesh: started, destinationRules: manifests.destinationRules });
    } else if (entry.reach === 'admin-api') {
      if (local?.attach === undefined) throw new UsageError(`provider ${providerName} needs spec.local.attach: the admin URL of the running mesh`);
      endpoint = local.attach;
      proxyUrl = await attachedProxyUrl(local.attach);
      provider = entry.create({ ...deps, endpoint });
    } else {
      provider = entry.create({ ...deps, kube: { ...options.kube, env: ctx.env, cwd: ctx.cwd } });
    }
    try {
      await provider.preflight();
    } catch (err) {
      // Held by another run: say which, and how to recover it.
      throw err instanceof TargetBusyError ? await explainBusy(err, ctx.cwd) : err;
    }
    // Prometheus down is a preflight failure: found before the first change, not at step 1's judging.
    const prometheus = metricsSpec?.prometheus;
    const metrics = prometheus
      ? createDefaultMetricSourceRegistry().create('prometheus', { address: prometheus.address, timeoutMs: prometheus.timeout })
      : undefined;
    await metrics?.ping(ctx.signal);
    const url = proxyUrl !== undefined ? `${proxyUrl}${load.path}` : load.url;
    if (generator && url === undefined) {
      throw new UsageError(`load.url is required with provider ${target.provider}`, {
        hint: 'give the URL requests go to, e.g. the ingress gateway: load.url: http://127.0.0.1:8080/reviews',
      });
    }
    const hostHeader = load.host ?? (proxyUrl !== undefined ? target.host : undefined);
    const picker = generator && url !== undefined ? await createScenarioPicker(loaded, url, proxyUrl === undefined) : undefined;
    const loadPlan = (durationMs: number): LoadPlan => ({
      url: url ?? '',
      ...(hostHeader !== undefined ? { hostHeader } : {}),
      method: load.method,
      headers: load.headers,
      ...(load.body !== undefined ? { body: load.body } : {}),
      ...loadRateOf(load),
      durationMs,
      timeoutMs: load.timeout,
      maxInFlight: load.maxInFlight,
      versionHeader: load.versionHeader,
      ...(picker ? { picker } : {}),
    });
    const environment: Record<string, string> = {
      meshExp: VERSION,
      // Reading the runtime's version is not I/O; it only labels the report.
      node: globalThis.process?.version ?? 'unknown',
      provider: target.provider,
      generator: load.generator,
      // The engine that measured the latencies (builtin: from the intended send; vegeta and k6: from the actual send).
      ...(generator ? { engine: generator.name } : distributed ? { engine: `${load.generator} (distributed: ${load.distributed!.replicas} pods in the cluster)` } : {}),
      ...(proxyUrl !== undefined ? { meshUrl: proxyUrl } : {}),
      ...(endpoint !== undefined ? { attach: endpoint } : {}),
      ...(metrics ? { prometheus: metrics.address } : {}),
    };
    // The API server validates the first step's objects (server-side dry run) before any change.
    await distributed?.preflight(loadPlan(plan.steps[0]?.loadDurationMs ?? 1000));
    const inProcess = mesh;
    const meshMetrics = inProcess ? async () => inProcess.metricsText() : endpoint !== undefined ? () => adminText(endpoint, 'metricsText') : undefined;
    const admin = inProcess?.adminUrl ?? endpoint;
    const meshStats = admin !== undefined ? () => adminText(admin, 'statsText') : undefined;
    return { provider, generator, ...(distributed ? { distributed } : {}), loadPlan, mesh, metrics, ...(meshMetrics ? { meshMetrics } : {}), ...(meshStats ? { meshStats } : {}), environment, notify, close };
  } catch (err) {
    await close();
    throw err;
  }
}

