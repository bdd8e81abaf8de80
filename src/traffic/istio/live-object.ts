/**
 * The VirtualService as the user wrote it, from the object the API server returns: apiVersion,
 * kind, name, namespace, labels, annotations and spec. Server-set metadata (resourceVersion, uid,
 * generation, managedFields, timestamps) and `status` (istiod's) are left out, so a snapshot
 * compares equal to the same object read back after a restore.
 */
import type { KubeObject } from '../../kube/custom-objects.js';
import { KubeApiError } from '../../kube/kube-error.js';
import type { VirtualService } from '../../istio/types.js';

/** The user-owned part of a live VirtualService. */
export function toVirtualService(obj: KubeObject): VirtualService {
  const { name, namespace, labels, annotations } = obj.metadata;
  return {
    apiVersion: obj.apiVersion ?? 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labels && Object.keys(labels).length ? { labels: { ...labels } } : {}),
      ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    },
    spec: structuredClone((obj.spec ?? {}) as VirtualService['spec']),
  };
}

/**
 * True when the API server refused a patch because the object is not what the patch expected: a
 * stale resourceVersion (409 Conflict) or a failed JSON-patch `test` (the server reports it as an
 * invalid request whose message names the test). Either way: read again, decide again.
 */
export function isPatchConflict(err: unknown): boolean {
  if (!(err instanceof KubeApiError)) return false;
  if (err.status === 409) return true;
  return (err.status === 422 || err.status === 400 || err.status === 500) && /test(ing)? .*fail|test operation/i.test(err.message);
}
