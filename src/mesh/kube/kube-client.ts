/**
 * The reflector's {@link ResourceClient} over `@kubernetes/client-node` (imported when the first
 * client is made, so a mesh that never talks to Kubernetes does not load it): list through the
 * CustomObjectsApi, watch through client-node's `Watch` with bookmarks and a server-side timeout.
 * Failures come out as KubeApiErrors naming verb, resource and namespace (a 403 says which verb
 * to grant); a 410 keeps its status so the reflector re-lists.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { toKubeError } from '../../kube/kube-error.js';
import { ISTIO_GROUP, ISTIO_VERSION, PLURALS, type WatchedKind } from './kube-objects.js';
import type { ResourceClient } from './kube-reflector.js';

/** Options of {@link createResourceClient}. */
export interface ResourceClientOptions {
  /**
   * The server ends each watch after about this long (jittered up to twice it, like client-go), so
   * a connection that died silently is noticed and replaced, seconds. @default 300
   */
  watchTimeoutSeconds?: number;
  /** Random source in [0,1) for the jitter. @default Math.random */
  random?: () => number;
}

/** Creates the client for one kind in one namespace, for the current context of `kubeConfig`. */
export async function createResourceClient(kubeConfig: KubeConfig, kind: WatchedKind, namespace: string, o: ResourceClientOptions = {}): Promise<ResourceClient> {
  const k8s = await import('@kubernetes/client-node');
  const api = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const watcher = new k8s.Watch(kubeConfig);
  const plural = PLURALS[kind];
  const server = kubeConfig.getCurrentCluster()?.server ?? '(unknown server)';
  const request = (verb: string) => ({ verb, resource: `${plural}.${ISTIO_GROUP}`, namespace, server });
  const timeout = o.watchTimeoutSeconds ?? 300;
  const random = o.random ?? Math.random;
  // client-node's Watch reports an HTTP failure as an Error with `statusCode` (not the ApiException `code` toKubeError reads).
  const watchError = (err: unknown) => {
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    const shaped = typeof status === 'number' ? Object.assign(new Error((err as Error).message), { code: status, cause: err }) : err;
    return toKubeError(shaped, request('watch'));
  };

  return {
    async list() {
      try {
        const out = (await api.listNamespacedCustomObject({ group: ISTIO_GROUP, version: ISTIO_VERSION, namespace, plural })) as { items?: unknown[]; metadata?: { resourceVersion?: string } };
        return { items: out.items ?? [], resourceVersion: out.metadata?.resourceVersion ?? '' };
      } catch (err) {
        throw toKubeError(err, request('list'));
      }
    },
    async watch(resourceVersion, onEvent, onDone) {
      const path = `/apis/${ISTIO_GROUP}/${ISTIO_VERSION}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
      const params = { resourceVersion, allowWatchBookmarks: true, timeoutSeconds: Math.round(timeout * (1 + random())) };
      const controller = await watcher.watch(path, params, (type: string, obj: unknown) => onEvent(type, obj), (err: unknown) => {
        // Aborting is how the reflector ends a watch; node-fetch reports it as an AbortError.
        if ((err as { name?: string } | null)?.name === 'AbortError') onDone(null);
        else onDone(err ? watchError(err) : null);
      });
      return { abort: () => controller.abort() };
    },
  };
}
