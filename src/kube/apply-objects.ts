/**
 * Server-side apply of whole objects (`kubectl apply --server-side`), as `mesh-exp schedule --apply`
 * needs: one field manager, so applying the same objects again changes nothing and says so
 * ("unchanged": the stored object is the same), and a changed file updates only the fields
 * mesh-exp manages. Every failure comes out as a KubeApiError naming verb, resource and namespace.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { rbacResource } from './cluster-objects.js';
import type { KubeObject } from './custom-objects.js';
import { toKubeError } from './kube-error.js';

/** The field manager of everything mesh-exp applies. */
export const FIELD_MANAGER = 'mesh-exp';

/** What applying one object did. */
export interface AppliedObject {
  /** e.g. "CronJob". */
  kind: string;
  /** Namespace of the object. */
  namespace: string;
  /** Name of the object. */
  name: string;
  /** created, configured (changed) or unchanged; with a dry run, what it would be. */
  outcome: 'created' | 'configured' | 'unchanged';
}

/** Options of {@link applyObjects}. */
export interface ApplyOptions {
  /** Only validate (server-side dry run): the API server admits the objects and stores nothing. @default false */
  dryRun?: boolean;
}

/**
 * Whether an apply left the object as it was: the objects are compared without the bookkeeping an
 * apply rewrites (managedFields' times, resourceVersion, generation). Not the resourceVersion alone:
 * the API server writes some kinds again on a no-op apply (a PersistentVolumeClaim gets a new one),
 * and a dry run stores nothing.
 */
function same(before: KubeObject, after: KubeObject): boolean {
  const plain = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, managedFields: undefined, resourceVersion: undefined, generation: undefined } });
  return plain(before) === plain(after);
}

/** Applies `objects` in order (each with apiVersion, kind, name and namespace), stopping at the first refusal. */
export async function applyObjects(kubeConfig: KubeConfig, objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<AppliedObject[]> {
  const k8s = await import('@kubernetes/client-node');
  const api = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
  const server = kubeConfig.getCurrentCluster()?.server ?? '(unknown server)';
  const out: AppliedObject[] = [];
  for (const object of objects) {
    const kind = object.kind!;
    const namespace = object.metadata.namespace ?? 'default';
    const { name } = object.metadata;
    const request = (verb: string) => ({ verb, resource: rbacResource(object.apiVersion!, kind), namespace, name, server });
    const header = { apiVersion: object.apiVersion!, kind, metadata: { name, namespace } };
    let before: KubeObject | undefined;
    try {
      before = (await api.read(header)) as unknown as KubeObject;
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw toKubeError(err, request('get'));
    }
    let after: KubeObject;
    try {
      // force: mesh-exp owns these objects; a field someone else set by hand is taken back.
      after = (await api.patch({ ...object, apiVersion: object.apiVersion!, kind }, undefined, options.dryRun ? 'All' : undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply)) as unknown as KubeObject;
    } catch (err) {
      throw toKubeError(err, request('patch'));
    }
    out.push({ kind, namespace, name, outcome: before === undefined ? 'created' : same(before, after) ? 'unchanged' : 'configured' });
  }
  return out;
}
