/**
 * A client of a running local mesh's admin API (`mesh-exp mesh`): /info, /config_dump and the
 * VirtualService and DestinationRule API of `config-api.ts`. Used by the `local-attach` traffic provider, by runs that
 * attach to the mesh and by `mesh-exp recover`. Answers become typed errors with hints: an
 * unreachable mesh is a RuntimeError, a stale resourceVersion a ConfigConflictError, an object the
 * mesh rejects a ValidationError listing its problems.
 */
import { Agent, request } from 'undici';
import { RuntimeError, ValidationError, type Problem } from '../../errors.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { DestinationRuleEnvelope, VirtualServiceEnvelope } from './config-api.js';

/** What GET /info answers. */
export interface MeshInfo {
  /** Base URL of the mesh's proxy (where load goes). */
  proxyUrl: string;
  /** Namespace of objects that name none. */
  namespace: string;
  /** Configuration generation. */
  generation: number;
  /** Whether the mesh accepts PUT. */
  configWrites: boolean;
  /** mesh-exp version of the mesh. */
  version: string;
}

/** What GET /config_dump answers. */
export interface MeshConfigDump {
  /** Configuration generation. */
  generation: number;
  /** The VirtualServices in force. */
  virtualServices: VirtualService[];
  /** The DestinationRules in force. */
  destinationRules: DestinationRule[];
}

/** The object changed since the resourceVersion given (HTTP 409). */
export class ConfigConflictError extends RuntimeError {}

/** A client of one mesh's admin address. */
export interface AdminClient {
  /** The admin base URL, e.g. "http://127.0.0.1:15020". */
  readonly url: string;
  /** GET /info. */
  info(): Promise<MeshInfo>;
  /** GET /config_dump. */
  configDump(): Promise<MeshConfigDump>;
  /** GET /stats/prometheus: the mesh's metrics as Prometheus text. */
  metricsText(): Promise<string>;
  /** GET /stats: Envoy's per-cluster stats as text ("cluster.<name>.<stat>: <value>" lines). (Additive.) */
  statsText(): Promise<string>;
  /** GET the VirtualService; undefined when the mesh does not serve it. */
  getVirtualService(namespace: string, name: string): Promise<VirtualServiceEnvelope | undefined>;
  /** PUT the VirtualService, conditional on `resourceVersion` when given; resolves once it is in force. */
  putVirtualService(vs: VirtualService, namespace: string, resourceVersion?: string): Promise<VirtualServiceEnvelope>;
  /** GET the DestinationRule; undefined when the mesh does not serve it. */
  getDestinationRule(namespace: string, name: string): Promise<DestinationRuleEnvelope | undefined>;
  /** PUT the DestinationRule, conditional on `resourceVersion` when given; resolves once it is in force. */
  putDestinationRule(dr: DestinationRule, namespace: string, resourceVersion?: string): Promise<DestinationRuleEnvelope>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** Options of {@link createAdminClient}. */
export interface AdminClientOptions {
  /** Admin base URL of the mesh. */
  url: string;
  /** Per-request timeout, ms. @default 5000 */
  timeoutMs?: number;
}

/** Creates a client; nothing is sent until a method is called. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const base = options.url.replace(/\/+$/, '');
  const timeout = options.timeoutMs ?? 5000;
  // An own agent, closed by close(): idle keep-alive sockets must not hold the CLI open.
  const agent = new Agent({ keepAliveTimeout: 1000, headersTimeout: timeout, bodyTimeout: timeout, connect: { timeout } });
  const unreachable = (err: unknown) =>
    new RuntimeError(`cannot reach the local mesh's admin API at ${base}: ${(err as { code?: string })?.code ?? (err as Error)?.message ?? String(err)}`, {
      cause: err,
      hint: 'is `mesh-exp mesh` running with that --admin address? (spec.local.attach and `mesh-exp recover` need the admin URL, not the proxy URL)',
    });

  async function call(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    let res;
    try {
      res = await request(`${base}${path}`, {
        method,
        dispatcher: agent,
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
    } catch (err) {
      throw unreachable(err);
    }
    const text = await res.body.text();
    try {
      return { status: res.statusCode, json: JSON.parse(text) };
    } catch {
      throw new RuntimeError(`${method} ${base}${path}: HTTP ${res.statusCode}, not JSON: ${text.slice(0, 200)}`, {
        hint: 'the address is not a mesh-exp mesh admin API, or the mesh is older than this mesh-exp',
      });
    }
  }

  const failed = (what: string, status: number, json: unknown): never => {
    const body = json as { message?: string; problems?: Problem[] };
    const message = `${what}: HTTP ${status}: ${body.message ?? JSON.stringify(json)}`;
    if (status === 409) throw new ConfigConflictError(message, { hint: 'someone else changed it meanwhile; read it again' });
    if (status === 422 && body.problems?.length) throw new ValidationError(body.problems, { hint: message });
    throw new RuntimeError(message);
  };
  const getText = async (path: string): Promise<string> => {
    let res;
    try {
      res = await request(`${base}${path}`, { dispatcher: agent });
    } catch (err) {
      throw unreachable(err);
    }
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new RuntimeError(`GET ${base}${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
    return text;
  };
  const objectPath = (namespace: string, name: string, kind: string) => `/config/${kind}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
  const get = async <E>(kind: 'VirtualService' | 'DestinationRule', namespace: string, name: string): Promise<E | undefined> => {
    const { status, json } = await call('GET', objectPath(namespace, name, `${kind.toLowerCase()}s`));
    // A 404 naming the API itself (a mesh without it) is an error, not an absent object.
    if (status === 404 && !(json as { message?: string }).message?.includes(' API')) return undefined;
    return status === 200 ? (json as E) : failed(`GET ${kind} ${namespace}/${name}`, status, json);
  };
  const put = async <E>(kind: 'VirtualService' | 'DestinationRule', obj: VirtualService | DestinationRule, namespace: string, resourceVersion?: string): Promise<E> => {
    const field = kind === 'VirtualService' ? 'virtualService' : 'destinationRule';
    const { status, json } = await call('PUT', objectPath(namespace, obj.metadata.name, `${kind.toLowerCase()}s`), { ...(resourceVersion !== undefined ? { resourceVersion } : {}), [field]: obj });
    return status === 200 ? (json as E) : failed(`PUT ${kind} ${namespace}/${obj.metadata.name}`, status, json);
  };

  return {
    url: base,
    async info() {
      const { status, json } = await call('GET', '/info');
      return status === 200 ? (json as MeshInfo) : failed(`GET ${base}/info`, status, json);
    },
    async configDump() {
      const { status, json } = await call('GET', '/config_dump');
      return status === 200 ? (json as MeshConfigDump) : failed(`GET ${base}/config_dump`, status, json);
    },
    metricsText: () => getText('/stats/prometheus'),
    statsText: () => getText('/stats'),
    getVirtualService: (namespace, name) => get<VirtualServiceEnvelope>('VirtualService', namespace, name),
    putVirtualService: (vs, namespace, resourceVersion) => put<VirtualServiceEnvelope>('VirtualService', vs, namespace, resourceVersion),
    getDestinationRule: (namespace, name) => get<DestinationRuleEnvelope>('DestinationRule', namespace, name),
    putDestinationRule: (dr, namespace, resourceVersion) => put<DestinationRuleEnvelope>('DestinationRule', dr, namespace, resourceVersion),
    close: () => agent.close(),
  };
}
