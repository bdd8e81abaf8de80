/**
 * Creating, reading and deleting built-in and custom objects by their apiVersion and kind
 * (`@kubernetes/client-node`'s generic KubernetesObjectApi): what distributed load needs for its
 * ConfigMaps, Jobs and k6-operator TestRuns. Every failure comes out as a KubeApiError naming the
 * verb, the resource (`jobs.batch`, `configmaps`, `testruns.k6.io`) and the namespace.
 */
import type { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeObject } from './custom-objects.js';
import { type KubeRequest, toKubeError } from './kube-error.js';

/** Which object: apiVersion, kind, namespace, name. */
export interface ObjectRef {
  /** e.g. "batch/v1". */
  apiVersion: string;
  /** e.g. "Job". */
  kind: string;
  /** Namespace of the object. */
  namespace: string;
  /** Name of the object. */
  name: string;
}

/** What the generic client does. */
export interface ClusterObjects {
  /** The API server URL (for messages). */
  readonly server: string;
  /** Creates `body` (or only validates it: server-side dry run); resolves the object as the server has it. */
  create(body: KubeObject & { apiVersion: string; kind: string }, options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Reads an object; undefined on 404. */
  read(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Deletes an object with its dependents (propagationPolicy Background: a Job's pods go too); false when it did not exist. */
  delete(ref: ObjectRef): Promise<boolean>;
  /**
   * Throws the KubeApiError a request would (403, naming verb, resource and namespace) when the
   * user may not `verb` objects like `ref` (a SelfSubjectAccessReview, which every authenticated
   * user may create): a run finds out before it creates load it could not delete.
   */
  requireAllowed(verb: string, ref: Omit<ObjectRef, 'name'>): Promise<void>;
}

/** The resource as RBAC spells it, for the kinds mesh-exp creates: "jobs.batch", "configmaps", "testruns.k6.io". */
export function rbacResource(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const plural = `${kind.toLowerCase()}s`;
  return group ? `${plural}.${group}` : plural;
}

/** Creates the client for the current context of `kubeConfig`. */
export async function createClusterObjects(kubeConfig: KubeConfig): Promise<ClusterObjects> {
  const k8s = await import('@kubernetes/client-node');
  const api: KubernetesObjectApi = k8s.KubernetesObjectApi.makeApiClient(kubeConfig);
  const authz = kubeConfig.makeApiClient(k8s.AuthorizationV1Api);
  const server = kubeConfig.getCurrentCluster()?.server ?? '(unknown server)';
  const call = async <T>(verb: string, ref: Omit<ObjectRef, 'name'> & { name?: string }, fn: () => Promise<T>): Promise<T> => {
    const req: KubeRequest = { verb, resource: rbacResource(ref.apiVersion, ref.kind), namespace: ref.namespace, ...(ref.name !== undefined ? { name: ref.name } : {}), server };
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err, req);
    }
  };
  const header = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  const notFound = (err: unknown) => (err as { status?: number }).status === 404;
  return {
    server,
    async create(body, options = {}) {
      const ref = { apiVersion: body.apiVersion, kind: body.kind, namespace: body.metadata.namespace ?? 'default', name: body.metadata.name };
      return (await call('create', ref, () => api.create(body, undefined, options.dryRun ? 'All' : undefined, 'mesh-exp'))) as unknown as KubeObject;
    },
    async read(ref) {
      try {
        return (await call('get', ref, () => api.read(header(ref)))) as unknown as KubeObject;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
    async requireAllowed(verb, ref) {
      const resource = rbacResource(ref.apiVersion, ref.kind);
      const [plural, ...group] = resource.split('.');
      const review = await call('create', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', namespace: ref.namespace }, () =>
        authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb, resource: plural, group: group.join('.'), namespace: ref.namespace } } } }),
      );
      if (review.status?.allowed) return;
      throw toKubeError(
        { code: 403, body: { reason: 'Forbidden', message: `access review: ${verb} ${resource} in namespace "${ref.namespace}" is not allowed${review.status?.reason ? ` (${review.status.reason})` : ''}` } },
        { verb, resource, namespace: ref.namespace, server },
      );
    },
    async delete(ref) {
      try {
        await call('delete', ref, () => api.delete(header(ref), undefined, undefined, undefined, undefined, 'Background'));
        return true;
      } catch (err) {
        if (notFound(err)) return false;
        throw err;
      }
    },
  };
}
