/**
 * The typed dependencies of each kind of traffic provider (registry.ts says which kind each
 * registered provider is), and how a Kubernetes provider's client is made from its own.
 */
import { UsageError } from '../errors.js';
import type { Failpoint } from '../failpoints.js';
import type { DestinationRule } from '../istio/types.js';
import { createCustomObjects } from '../kube/custom-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import type { LocalMesh } from '../mesh/types.js';
import type { KubeProviderOptions } from './kube-region-provider.js';
import type { TargetFields } from './target-object.js';
import type { KubeDeps, TrafficState } from './types.js';

/** What every provider's factory is given. */
export interface ProviderDeps {
  /** The name it is registered under (registry.ts): it answers to it and journals it in its snapshot, where recover looks it up. */
  name: string;
  /** The experiment's target (a VirtualService or an HTTPRoute, as the provider acts on). */
  target: TargetFields;
  /** Every state the run will apply (preflight checks each; recover finds the region among them). */
  plannedStates: TrafficState[];
  /** Crash points for tests. @default none */
  failpoint?: Failpoint;
}

/** A provider of the mesh the run starts in-process. */
export interface InProcessProviderDeps extends ProviderDeps {
  /** The running local mesh. */
  mesh: LocalMesh;
  /** DestinationRules the mesh serves; subsets are checked against them. @default not checked */
  destinationRules?: DestinationRule[];
}

/** A provider of a mesh running in another process, reached through its admin API. */
export interface AttachProviderDeps extends ProviderDeps {
  /** The admin URL of the running mesh. */
  endpoint: string;
}

/** A provider that reaches its target through the Kubernetes API. */
export interface KubeProviderDeps extends ProviderDeps {
  /** How to reach the cluster: kubeconfig, context, and the environment to resolve them in. */
  kube: KubeDeps;
}

/** What both Kubernetes providers take: the client (connected on first use), retry, failpoints, planned states. */
export function kubeOptions(deps: KubeProviderDeps): KubeProviderOptions {
  const { kube } = deps;
  return {
    name: deps.name,
    plannedStates: deps.plannedStates,
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
