/**
 * Whether a Secret exists, asked without reading it: a metadata-only GET (PartialObjectMetadata),
 * so its values never reach mesh-exp. `mesh-exp schedule --apply` warns when the Secret its
 * CronJob reads is not there yet; the caller may lack the right to ask, which is no error.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { toKubeError } from './kube-error.js';

/** The media type of a metadata-only answer (kubectl get --show-kind -o name asks the same way). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** What the API server said: there, not there, or not telling this caller (401/403). */
export type SecretPresence = 'present' | 'absent' | 'unknown';

/** Whether Secret `name` exists in `namespace`; other failures throw a KubeApiError. */
export async function secretPresence(kubeConfig: KubeConfig, namespace: string, name: string): Promise<SecretPresence> {
  const k8s = await import('@kubernetes/client-node');
  const api = kubeConfig.makeApiClient(k8s.CoreV1Api);
  // Metadata only: the API server sends no data, so the values never reach this process.
  const metadataOnly = {
    pre: (context: import('@kubernetes/client-node').RequestContext) => {
      context.setHeaderParam('Accept', METADATA_ONLY);
      return new k8s.Observable(Promise.resolve(context));
    },
    post: (response: import('@kubernetes/client-node').ResponseContext) => new k8s.Observable(Promise.resolve(response)),
  };
  try {
    const got = await api.readNamespacedSecret({ name, namespace }, { middleware: [metadataOnly], middlewareMergeStrategy: 'append' });
    // Had the server ignored the Accept header, the values would be here: drop them unread.
    void got;
    return 'present';
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 404) return 'absent';
    if (code === 401 || code === 403) return 'unknown';
    throw toKubeError(err, { verb: 'get', resource: 'secrets', namespace, name, server: kubeConfig.getCurrentCluster()?.server ?? '(unknown server)' });
  }
}
