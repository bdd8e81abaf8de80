/**
 * Traffic providers by name (like Flagger's router factory). Each registered provider says how it
 * reaches its target (`reach`), which fixes the typed dependencies its factory takes and the run
 * set-up builds; it plans (`mesh-exp plan`) as well as runs. Provider names live here and in the
 * spec schema only.
 */
import { RuntimeError } from '../errors.js';
import { createGatewayApiProvider, GATEWAY_API_RBAC, planGatewayApi } from './gateway-api/gateway-api-provider.js';
import { createIstioProvider, ISTIO_RBAC, planIstio } from './istio/istio-provider.js';
import type { PolicyRule } from '../kube/policy-rules.js';
import { kubeOptions, type AttachProviderDeps, type InProcessProviderDeps, type KubeProviderDeps } from './provider-deps.js';
import { createRegistry, type Registry } from '../registry.js';
import { createAttachProvider } from './local/attach-provider.js';
import { createLocalProvider } from './local/local-provider.js';
import { planAttached, planLocal } from './local/local-plan.js';
import { httpRouteTargetOf, requireVirtualService } from './target-object.js';
import type { PlanTraffic, RoutingObject, TrafficProvider } from './types.js';

export type { AttachProviderDeps, InProcessProviderDeps, KubeProviderDeps, ProviderDeps } from './provider-deps.js';
export type { KubeDeps } from './types.js';

/** What every registered provider offers, whatever it reaches its target through. */
interface ProviderEntryBase {
  /** What each step would change, read only (`mesh-exp plan`). */
  plan: PlanTraffic;
  /**
   * The RBAC rules its own requests need in the target's namespace, and no more: `mesh-exp
   * schedule` unions them into the Role of a scheduled run. [] for a provider that makes no
   * Kubernetes request (the local mesh, in the pod or attached).
   */
  rbac: readonly PolicyRule[];
}

/**
 * A registered provider. `reach` says how it reaches its target, and so which dependencies its
 * factory takes: `in-process` the mesh the run starts (recover cannot reach it after a crash),
 * `admin-api` a running mesh's admin URL, `kube` a cluster through the Kubernetes API.
 */
export type TrafficProviderEntry =
  | (ProviderEntryBase & {
      reach: 'in-process';
      /** The provider used instead when the experiment attaches to a running mesh (spec.local.attach). @default none */
      attached?: string;
      /** Creates the provider for one run. */
      create(deps: InProcessProviderDeps): TrafficProvider<RoutingObject>;
    })
  | (ProviderEntryBase & { reach: 'admin-api'; create(deps: AttachProviderDeps): TrafficProvider<RoutingObject> })
  | (ProviderEntryBase & { reach: 'kube'; create(deps: KubeProviderDeps): TrafficProvider<RoutingObject> });

/** Providers by name, with the shared registry rules of `src/registry.ts` (a duplicate name throws; an unknown one is a usage error with a "did you mean" hint). */
export type TrafficRegistry = Registry<TrafficProviderEntry>;

/** Creates an empty registry. */
export function createTrafficRegistry(): TrafficRegistry {
  return createRegistry<TrafficProviderEntry>({ kind: 'traffic provider', plural: 'providers' });
}

/**
 * The provider that acts for the experiment's `provider`: its `attached` one when the experiment
 * attaches to a running mesh (`attach`, spec.local.attach), else itself.
 */
export function selectProvider(registry: TrafficRegistry, provider: string, attach: string | undefined): { name: string; entry: TrafficProviderEntry } {
  const entry = registry.get(provider);
  if (attach !== undefined && entry.reach === 'in-process' && entry.attached !== undefined) return { name: entry.attached, entry: registry.get(entry.attached) };
  return { name: provider, entry };
}

/**
 * A registry with the built-in providers (`local`: the in-process mesh; `local-attach`: a running
 * `mesh-exp mesh`; `istio`: a VirtualService through the Kubernetes API; `gateway-api`: an HTTPRoute
 * through the Kubernetes API).
 */
export function createDefaultTrafficRegistry(): TrafficRegistry {
  const registry = createTrafficRegistry();
  registry.register('local', {
    reach: 'in-process',
    attached: 'local-attach',
    plan: planLocal,
    rbac: [],
    create: (deps) => createLocalProvider({ ...deps, target: requireVirtualService(deps.target) }),
  });
  registry.register('local-attach', {
    reach: 'admin-api',
    plan: planAttached,
    rbac: [],
    create: (deps) => createAttachProvider({ ...deps, target: requireVirtualService(deps.target) }),
  });
  registry.register('istio', {
    reach: 'kube',
    plan: planIstio,
    rbac: ISTIO_RBAC,
    create: (deps) => createIstioProvider({ target: requireVirtualService(deps.target), ...kubeOptions(deps) }),
  });
  registry.register('gateway-api', {
    reach: 'kube',
    plan: planGatewayApi,
    rbac: GATEWAY_API_RBAC,
    create(deps) {
      const { target } = deps;
      if (target.httpRoute === undefined) throw new RuntimeError('provider "gateway-api" needs target.httpRoute (internal: the spec rules require it)');
      return createGatewayApiProvider({ target: httpRouteTargetOf({ ...target, httpRoute: target.httpRoute }), ...kubeOptions(deps) });
    },
  });
  return registry;
}
