/**
 * The VirtualService as the user wrote it, from the object the API server returns: apiVersion,
 * kind, name, namespace, labels, annotations and spec. Server-set metadata (resourceVersion, uid,
 * generation, managedFields, timestamps) and `status` (istiod's) are left out, so a snapshot
 * compares equal to the same object read back after a restore.
 */
import { type KubeObject, VIRTUAL_SERVICE } from '../../kube/custom-objects.js';
import type { VirtualService } from '../../istio/types.js';
import { userOwned } from '../kube-owned.js';

/** The user-owned part of a live VirtualService (see kube-owned.ts). */
export function toVirtualService(obj: KubeObject): VirtualService {
  return userOwned<VirtualService>(obj, VIRTUAL_SERVICE);
}
