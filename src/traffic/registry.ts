/**
 * Traffic providers by name (like Flagger's router factory). A provider is created per run from
 * what that run has: the local mesh for `local`, a Kubernetes client for `istio` (another module).
 */
import { RuntimeError } from '../errors.js';
import type { Failpoint } from '../failpoints.js';
import type { DestinationRule } from '../istio/types.js';
import type { LocalMesh } from '../mesh/types.js';
import { createCustomObjects } from '../kube/custom-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import type { KubeRetryOptions } from '../kube/retry.js';
import type { KubeProviderOptions } from './kube-region-provider.js';
import { UsageError } from '../errors.js';
import { createRegistry, type Registry } from '../registry.js';
import { createGatewayApiProvider } from './gateway-api/gateway-api-provider.js';
import { createIstioProvider } from './istio/istio-provider.js';
import { createAttachProvider } from './local/attach-provider.js';
import { createLocalProvider } from './local/local-provider.js';
import { type TargetFields, httpRouteTargetOf } from './target-object.js';
import type { RoutingObject, TrafficProvider, TrafficState } from './types.js';

/** What a provider factory is given. */
export interface TrafficProviderDeps {
  /** The experiment's target (a VirtualService for local, local-attach and istio; an HTTPRoute for gateway-api). */
  target: TargetFields;
  /** Every state the run will apply (for preflight). @default [] */
  plannedStates?: TrafficState[];
  /** The running local mesh (provider `local`). */
  mesh?: LocalMesh;
  /** DestinationRules known locally (provider `local`); subsets are checked against them. @default not checked */
  destinationRules?: DestinationRule[];
  /** Where the target is reached: the admin URL of the running mesh (provider `local-attach`). */
  endpoint?: string;
  /** Crash points for tests. @default none */
  failpoint?: Failpoint;
  /** How to reach the cluster (providers `istio`, `gateway-api`): kubeconfig, context, and the environment to resolve them in. */
  kube?: KubeDeps;
}

/** How a Kubernetes provider finds its cluster. */
export interface KubeDeps {
  /** `--kubeconfig`. @default $KUBECONFIG, ~/.kube/config, in-cluster */
  kubeconfig?: string;
  /** `--context`. @default the kubeconfig's current context */
  context?: string;
  /** Environment (KUBECONFIG, HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** The API server the run journaled (recover): a kubeconfig pointing elsewhere is refused. @default not checked */
  expectedServer?: string;
  /** Backoff while the API server is away. @default 60 s budget */
  retry?: KubeRetryOptions;
}

/** Creates a provider from its dependencies; throws a MeshExpError when one it needs is missing. */
export type TrafficProviderFactory = (deps: TrafficProviderDeps) => TrafficProvider<RoutingObject>;

/** Providers by name (the shared registry rules of `src/registry.ts`), plus `create`. */
export interface TrafficRegistry extends Registry<TrafficProviderFactory> {
  /** Creates the named provider; a UsageError (exit 2) with a "did you mean" hint for an unknown name. */
  create(name: string, deps: TrafficProviderDeps): TrafficProvider<RoutingObject>;
}

/** The providers that reach their target through the Kubernetes API (and so need a kubeconfig). */
const KUBE_PROVIDERS: ReadonlySet<string> = new Set(['istio', 'gateway-api']);

/** True for a provider that reaches its target through the Kubernetes API. */
export function isKubeProvider(name: string): boolean {
  return KUBE_PROVIDERS.has(name);
}

/** Creates an empty registry. */
export function createTrafficRegistry(): TrafficRegistry {
  const registry = createRegistry<TrafficProviderFactory>({ kind: 'traffic provider', plural: 'providers' });
  return { ...registry, create: (name, deps) => registry.get(name)(deps) };
}

/**
 * A registry with the built-in providers (`local`: the in-process mesh; `local-attach`: a running
 * `mesh-exp mesh`; `istio`: a VirtualService through the Kubernetes API; `gateway-api`: an HTTPRoute
 * through the Kubernetes API).
 */
export function createDefaultTrafficRegistry(): TrafficRegistry {
  const registry = createTrafficRegistry();
  registry.register('local', (deps) => {
    if (!deps.mesh) throw new RuntimeError('provider "local" needs a running local mesh (internal)');
    return createLocalProvider({
      mesh: deps.mesh,
      target: vsTarget('local', deps.target),
      plannedStates: deps.plannedStates ?? [],
      ...(deps.destinationRules ? { destinationRules: deps.destinationRules } : {}),
    });
  });
  registry.register('local-attach', (deps) => {
    if (!deps.endpoint) throw new RuntimeError('provider "local-attach" needs the mesh\'s admin URL (internal)');
    return createAttachProvider({
      endpoint: deps.endpoint,
      target: vsTarget('local-attach', deps.target),
      plannedStates: deps.plannedStates ?? [],
      ...(deps.failpoint ? { failpoint: deps.failpoint } : {}),
    });
  });
  registry.register('istio', (deps) => createIstioProvider({ target: vsTarget('istio', deps.target), ...kubeOptions('istio', deps) }));
  registry.register('gateway-api', (deps) => {
    const { target } = deps;
    if (target.httpRoute === undefined) throw new RuntimeError('provider "gateway-api" needs target.httpRoute (internal: the spec rules require it)');
    return createGatewayApiProvider({ target: httpRouteTargetOf({ ...target, httpRoute: target.httpRoute }), ...kubeOptions('gateway-api', deps) });
  });
  return registry;
}

/** The target of a VirtualService provider (the spec rules require the name). */
function vsTarget(provider: string, target: TargetFields): TargetFields & { virtualService: string } {
  if (target.virtualService === undefined) throw new RuntimeError(`provider "${provider}" needs target.virtualService (internal: the spec rules require it)`);
  return { ...target, virtualService: target.virtualService };
}

/** What both Kubernetes providers take: the client (connected on first use), retry, failpoints, planned states. */
function kubeOptions(provider: string, deps: TrafficProviderDeps): KubeProviderOptions {
  const kube = deps.kube;
  if (!kube) throw new RuntimeError(`provider "${provider}" needs a kubeconfig (internal)`);
  return {
    plannedStates: deps.plannedStates ?? [],
    ...(deps.failpoint ? { failpoint: deps.failpoint } : {}),
    ...(kube.retry ? { retry: kube.retry } : {}),
    objects: async () => {
      const loaded = await loadKubeConfig({ ...kube });
      if (kube.expectedServer !== undefined && loaded.server !== kube.expectedServer) {
        throw new UsageError(`the kubeconfig's context "${loaded.context}" points at ${loaded.server}, but the run changed the cluster at ${kube.expectedServer}`, {
          hint: 'pick the context of that cluster with --context (and --kubeconfig)',
        });
      }
      return createCustomObjects(loaded.kubeConfig);
    },
  };
}
