/**
 * A small client for the custom resources mesh-exp acts on (Istio's VirtualService and
 * DestinationRule, Gateway API's HTTPRoute), over `@kubernetes/client-node`'s CustomObjectsApi.
 * Every failure comes out as a KubeApiError naming verb, resource and namespace; patches are JSON
 * patches (custom objects reject strategic-merge patch with 415). Only the verbs of
 * deploy/rbac.yaml are used: get, list, watch, patch — plus create/delete for tests.
 */
import type { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { type KubeRequest, toKubeError } from './kube-error.js';

/** A custom resource type. */
export interface ResourceType {
  /** API group, e.g. "networking.istio.io". */
  group: string;
  /** Version, e.g. "v1". */
  version: string;
  /** Plural resource name, e.g. "virtualservices". */
  plural: string;
  /** Kind, e.g. "VirtualService". */
  kind: string;
}

/** Istio's VirtualService (networking.istio.io/v1: served and stored since Istio 1.22). */
export const VIRTUAL_SERVICE: ResourceType = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices', kind: 'VirtualService' };
/** Istio's DestinationRule. */
export const DESTINATION_RULE: ResourceType = { group: 'networking.istio.io', version: 'v1', plural: 'destinationrules', kind: 'DestinationRule' };
/** Gateway API's HTTPRoute (standard channel). */
export const HTTP_ROUTE: ResourceType = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', kind: 'HTTPRoute' };

/** One RFC 6902 operation. */
export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** A Kubernetes object as read (metadata loosely typed: the server adds fields). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  spec?: unknown;
  status?: unknown;
  [k: string]: unknown;
}

/** What the provider does with custom objects. */
export interface CustomObjects {
  /** The API server URL (for messages). */
  readonly server: string;
  /** Reads one object; resolves undefined on 404. */
  get(type: ResourceType, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Lists the objects of a type in a namespace. */
  list(type: ResourceType, namespace: string): Promise<KubeObject[]>;
  /** Applies a JSON patch; resolves the object after it. */
  patch(type: ResourceType, namespace: string, name: string, ops: JsonPatchOp[], options?: { dryRun?: boolean }): Promise<KubeObject>;
  /** Creates an object (tests and fixtures). */
  create(type: ResourceType, namespace: string, body: KubeObject): Promise<KubeObject>;
  /** Deletes an object; resolves false when it did not exist. */
  delete(type: ResourceType, namespace: string, name: string): Promise<boolean>;
  /** The versions of `group` the server serves (discovery, readable by any authenticated user); [] when none. */
  servedVersions(group: string): Promise<string[]>;
  /** True when `type.plural` is served in `type.group/type.version`. */
  served(type: ResourceType): Promise<boolean>;
}

/** The resource as RBAC and messages spell it: "virtualservices.networking.istio.io". */
export function resourceName(type: ResourceType): string {
  return `${type.plural}.${type.group}`;
}

/** Creates the client for the current context of `kubeConfig`. */
export async function createCustomObjects(kubeConfig: KubeConfig): Promise<CustomObjects> {
  const k8s = await import('@kubernetes/client-node');
  const api: CustomObjectsApi = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  const apis = kubeConfig.makeApiClient(k8s.ApisApi);
  const server = kubeConfig.getCurrentCluster()?.server ?? '(unknown server)';
  const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

  const call = async <T>(req: KubeRequest, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err, { ...req, server });
    }
  };
  const req = (verb: string, type: ResourceType, namespace?: string, name?: string): KubeRequest => ({
    verb,
    resource: resourceName(type),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
  });
  const at = (type: ResourceType, namespace: string) => ({ group: type.group, version: type.version, namespace, plural: type.plural });

  return {
    server,
    async get(type, namespace, name) {
      try {
        return (await call(req('get', type, namespace, name), () => api.getNamespacedCustomObject({ ...at(type, namespace), name }))) as KubeObject;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      }
    },
    async list(type, namespace) {
      const out = (await call(req('list', type, namespace), () => api.listNamespacedCustomObject(at(type, namespace)))) as { items?: KubeObject[] };
      return out.items ?? [];
    },
    async patch(type, namespace, name, ops, options = {}) {
      return (await call(req('patch', type, namespace, name), () =>
        api.patchNamespacedCustomObject({ ...at(type, namespace), name, body: ops, ...(options.dryRun ? { dryRun: 'All' } : {}) }, jsonPatch),
      )) as KubeObject;
    },
    async create(type, namespace, body) {
      return (await call(req('create', type, namespace, body.metadata.name), () => api.createNamespacedCustomObject({ ...at(type, namespace), body }))) as KubeObject;
    },
    async delete(type, namespace, name) {
      try {
        await call(req('delete', type, namespace, name), () => api.deleteNamespacedCustomObject({ ...at(type, namespace), name }));
        return true;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return false;
        throw err;
      }
    },
    async servedVersions(group) {
      const list = await call({ verb: 'get', resource: 'discovery /apis' }, () => apis.getAPIVersions());
      return list.groups.find((g) => g.name === group)?.versions.map((v) => v.version) ?? [];
    },
    async served(type) {
      try {
        const list = await call({ verb: 'get', resource: `discovery /apis/${type.group}/${type.version}` }, () =>
          api.getAPIResources({ group: type.group, version: type.version }),
        );
        return list.resources.some((r) => r.name === type.plural);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return false;
        throw err;
      }
    },
  };
}
