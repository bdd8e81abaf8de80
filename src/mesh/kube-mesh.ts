/**
 * `createKubeMesh`: a local mesh whose configuration comes from a Kubernetes API server
 * (`kube-source.ts`) instead of manifests — the kubeconfig found as kubectl finds it, the
 * namespace from the option, else the context's, else "default". It returns at once with the mesh
 * listening: /ready answers 503 until the initial lists are applied (`synced`).
 */
import { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from '../kube/kubeconfig.js';
import { createResourceClient, type ResourceClientOptions } from './kube/kube-client.js';
import { createKubeSource, type KubeSource } from './kube/kube-source.js';
import type { ReflectorOptions } from './kube/kube-reflector.js';
import { createLocalMesh } from './local-mesh.js';
import type { LocalMesh, LocalMeshOptions } from './types.js';

/** Options of {@link createKubeMesh}. */
export interface KubeMeshOptions extends Omit<LocalMeshOptions, 'virtualServices' | 'destinationRules' | 'configSource' | 'configWrites' | 'origins' | 'namespace'> {
  /** Where to find the cluster (`--kubeconfig`, `--context`, env, cwd). */
  kube: KubeConfigOptions;
  /** Namespace watched. @default the context's namespace, else "default" */
  namespace?: string;
  /** Reflector backoff and timeouts. @default the reflector's defaults */
  reflector?: ReflectorOptions;
  /** Watch timeouts. @default the client's defaults */
  client?: ResourceClientOptions;
}

/** A mesh fed by the API server. */
export interface KubeMesh {
  /** The running mesh. */
  mesh: LocalMesh;
  /** Its configuration source. */
  source: KubeSource;
  /** The kubeconfig in use. */
  kube: LoadedKubeConfig;
  /** The namespace watched. */
  namespace: string;
  /** Resolves once the initial lists are applied. */
  synced(): Promise<void>;
  /** Stops watching, then the mesh. */
  close(): Promise<void>;
}

/** Loads the kubeconfig, starts the mesh (empty, not ready) and starts watching. */
export async function createKubeMesh(options: KubeMeshOptions): Promise<KubeMesh> {
  const kube = await loadKubeConfig(options.kube);
  const namespace = options.namespace ?? kube.namespace ?? 'default';
  const [vsClient, drClient, gwClient] = await Promise.all([
    createResourceClient(kube.kubeConfig, 'VirtualService', namespace, options.client),
    createResourceClient(kube.kubeConfig, 'DestinationRule', namespace, options.client),
    createResourceClient(kube.kubeConfig, 'Gateway', namespace, options.client),
  ]);
  const source = createKubeSource({
    clients: { VirtualService: vsClient, DestinationRule: drClient, Gateway: gwClient },
    server: kube.server,
    namespace,
    context: kube.context,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.reflector ? { reflector: options.reflector } : {}),
  });
  const { kube: _kube, reflector: _reflector, client: _client, ...meshOptions } = options;
  const mesh = await createLocalMesh({ ...meshOptions, virtualServices: [], destinationRules: [], namespace, configSource: source });
  source.start(mesh);
  return {
    mesh,
    source,
    kube,
    namespace,
    synced: () => source.synced(),
    async close() {
      await source.stop();
      await mesh.close();
    },
  };
}
