/**
 * The admin server's configuration API, which runs attached to a standalone `mesh-exp mesh` use
 * (`spec.local.attach`) — a very small Kubernetes-style API for two kinds:
 *
 *   GET /config/virtualservices/<ns>/<name>   → 200 {resourceVersion, generation, virtualService}
 *   PUT /config/virtualservices/<ns>/<name>   body {resourceVersion?, virtualService} → 200, same shape
 *   GET /config/destinationrules/<ns>/<name>  → 200 {resourceVersion, generation, destinationRule}
 *   PUT /config/destinationrules/<ns>/<name>  body {resourceVersion?, destinationRule} → 200, same shape
 *
 * PUT replaces an existing object (404 for an unknown one: it never creates). It is checked with
 * the rules the mesh applies on load (the manifest schema, then compilation against the running
 * services); the object is in force when the answer is sent (a DestinationRule through a whole
 * live reconfiguration: its subsets' backends started, its policies in the clusters). Errors are
 * JSON `{status, message, problems?}`: 400 malformed request, 403 not from loopback, 404 unknown
 * object, 405 writes disabled, 409 stale resourceVersion (optimistic concurrency, as in
 * Kubernetes; omit it for an unconditional replace), 413 body over 1 MiB, 422 an object the mesh rejects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError, type Problem } from '../../errors.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import { formatPath } from '../../input/locate.js';
import { destinationRuleSchema, virtualServiceSchema } from '../../istio/manifest-schema.js';
import { isLoopback } from './listen-address.js';

/** URL prefix of the VirtualService API. */
export const CONFIG_PATH_PREFIX = '/config/virtualservices/';
/** URL prefix of the DestinationRule API. */
export const RULES_PATH_PREFIX = '/config/destinationrules/';

/** Largest PUT body accepted, bytes. */
const MAX_BODY_BYTES = 1 << 20;

/** One VirtualService as the API answers it. */
export interface VirtualServiceEnvelope {
  /** Opaque version of this object; changes with every write. */
  resourceVersion: string;
  /** The mesh's configuration generation after the last change. */
  generation: number;
  /** The object in force. */
  virtualService: VirtualService;
}

/** One DestinationRule as the API answers it. */
export interface DestinationRuleEnvelope {
  /** Opaque version of this object; changes with every write. */
  resourceVersion: string;
  /** The mesh's configuration generation after the last change. */
  generation: number;
  /** The object in force. */
  destinationRule: DestinationRule;
}

/** What the API reads and writes (the local mesh implements it). */
export interface VirtualServiceStore {
  /** Namespace of objects that name none. */
  readonly namespace: string;
  /** Whether PUT is allowed. */
  readonly writable: boolean;
  /** Why PUT is refused when not writable (the 405 answer). @default "this mesh was started read-only (--read-only)..." */
  readonly readOnlyReason?: string;
  /** The object in force, or undefined. */
  get(namespace: string, name: string): VirtualServiceEnvelope | undefined;
  /** Validates, compiles and swaps `vs` in (throws ValidationError and changes nothing when invalid). */
  replace(vs: VirtualService): VirtualServiceEnvelope;
  /** The DestinationRule in force, or undefined. @default no DestinationRule API (404) */
  getRule?(namespace: string, name: string): DestinationRuleEnvelope | undefined;
  /** Validates and applies `dr` (a whole live reconfiguration; rejects with a ValidationError and changes nothing when invalid). */
  replaceRule?(dr: DestinationRule): Promise<DestinationRuleEnvelope>;
}

/** One kind of the API: where it lives, its envelope field, its schema and its store operations. */
interface KindApi {
  kind: 'VirtualService' | 'DestinationRule';
  field: 'virtualService' | 'destinationRule';
  schema: typeof virtualServiceSchema | typeof destinationRuleSchema;
  get(namespace: string, name: string): object | undefined;
  replace(obj: VirtualService | DestinationRule): object | Promise<object>;
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

// A DestinationRule write awaits a whole reconfiguration: writes (of both kinds) go one at a time per
// store, so each version check and its write stay atomic, and a VirtualService written meanwhile is
// never swapped out again by the reconfiguration that was computed before it.
const writes = new WeakMap<VirtualServiceStore, Promise<unknown>>();

/** Writes `body` as pretty JSON (no body for HEAD). */
export function sendJson(res: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The peer's address without the IPv4-mapped prefix ("::ffff:127.0.0.1" → "127.0.0.1"). */
function peer(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** Checks a PUT body and returns the object to apply. */
function parsePut(text: string, namespace: string, name: string, api: KindApi, defaultNs: string): { obj: VirtualService | DestinationRule; resourceVersion?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpProblem(400, `body is not JSON: ${(err as Error).message}`);
  }
  const env = body as Record<string, unknown> | null;
  if (env === null || typeof env !== 'object' || Array.isArray(env) || env[api.field] === undefined) {
    throw new HttpProblem(400, `expected {"resourceVersion": "<from GET>", "${api.field}": {...}}`);
  }
  if (env.resourceVersion !== undefined && typeof env.resourceVersion !== 'string') {
    throw new HttpProblem(400, 'resourceVersion must be a string (as GET returns it)');
  }
  const parsed = api.schema.safeParse(env[api.field]);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: formatPath([api.field, ...(i.path as (string | number)[])]), message: i.message }));
    throw new HttpProblem(422, `the ${api.kind} is invalid; nothing was changed`, problems);
  }
  const obj = env[api.field] as VirtualService | DestinationRule;
  if (obj.kind !== api.kind) throw new HttpProblem(400, `the body is a ${String(obj.kind)}, the URL names a ${api.kind}`);
  const at = `${obj.metadata.namespace ?? defaultNs}/${obj.metadata.name}`;
  if (at !== `${namespace}/${name}`) throw new HttpProblem(400, `the body is ${api.kind} ${at}, the URL names ${namespace}/${name}`);
  return { obj, ...(typeof env.resourceVersion === 'string' ? { resourceVersion: env.resourceVersion } : {}) };
}

async function handle(req: IncomingMessage, store: VirtualServiceStore, api: KindApi, namespace: string, name: string): Promise<object> {
  const where = `${api.kind} ${namespace}/${name}`;
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    const found = api.get(namespace, name);
    if (!found) throw new HttpProblem(404, `${where} is not served by this mesh`);
    return found;
  }
  if (req.method !== 'PUT') throw new HttpProblem(405, 'use GET or PUT');
  if (!store.writable) throw new HttpProblem(405, store.readOnlyReason ?? 'this mesh was started read-only (--read-only): writes are refused');
  if (!isLoopback(peer(req))) throw new HttpProblem(403, `writes are accepted from loopback only, not from ${peer(req)}`);
  const { obj, resourceVersion } = parsePut(await readBody(req), namespace, name, api, store.namespace);
  const write = async () => {
    const current = api.get(namespace, name) as { resourceVersion: string } | undefined;
    if (!current) throw new HttpProblem(404, `${where} is not served by this mesh (PUT replaces, it does not create)`);
    if (resourceVersion !== undefined && resourceVersion !== current.resourceVersion) {
      throw new HttpProblem(409, `${where} changed since resourceVersion ${resourceVersion} (it is at ${current.resourceVersion}); GET it again`);
    }
    try {
      return await api.replace(obj);
    } catch (err) {
      if (err instanceof ValidationError) throw new HttpProblem(422, `the mesh rejected ${where}; the previous configuration stays in force`, err.problems);
      throw err;
    }
  };
  const run = (writes.get(store) ?? Promise.resolve()).then(write);
  writes.set(store, run.catch(() => undefined));
  return run;
}

/** The API of the kind under `path`'s prefix, or undefined when `store` does not serve that kind. */
function kindOf(path: string, store: VirtualServiceStore): { api: KindApi; prefix: string } | undefined {
  if (path.startsWith(CONFIG_PATH_PREFIX)) {
    return { prefix: CONFIG_PATH_PREFIX, api: { kind: 'VirtualService', field: 'virtualService', schema: virtualServiceSchema, get: (ns, n) => store.get(ns, n), replace: (o) => store.replace(o as VirtualService) } };
  }
  const { getRule, replaceRule } = store;
  if (path.startsWith(RULES_PATH_PREFIX) && getRule && replaceRule) {
    return { prefix: RULES_PATH_PREFIX, api: { kind: 'DestinationRule', field: 'destinationRule', schema: destinationRuleSchema, get: (ns, n) => getRule(ns, n), replace: (o) => replaceRule(o as DestinationRule) } };
  }
  return undefined;
}

/** Whether `path` is one of the API's (answered by {@link handleConfigRequest}). */
export function isConfigPath(path: string): boolean {
  return path.startsWith(CONFIG_PATH_PREFIX) || path.startsWith(RULES_PATH_PREFIX);
}

/** Answers a request under {@link CONFIG_PATH_PREFIX} or {@link RULES_PATH_PREFIX}. */
export async function handleConfigRequest(req: IncomingMessage, res: ServerResponse, path: string, store: VirtualServiceStore): Promise<void> {
  const head = req.method === 'HEAD';
  try {
    const found = kindOf(path, store);
    if (!found) throw new HttpProblem(404, `this mesh serves no ${path.split('/')[2] ?? ''} API`);
    let parts: string[];
    try {
      parts = path.slice(found.prefix.length).split('/').map(decodeURIComponent);
    } catch {
      throw new HttpProblem(400, 'malformed percent-encoding in the path');
    }
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new HttpProblem(404, `expected ${found.prefix}<namespace>/<name>`);
    sendJson(res, 200, await handle(req, store, found.api, parts[0], parts[1]), head);
  } catch (err) {
    req.resume();
    if (err instanceof HttpProblem) {
      sendJson(res, err.status, { status: err.status, message: err.message, ...(err.problems.length ? { problems: err.problems } : {}) }, head);
    } else {
      sendJson(res, 500, { status: 500, message: `internal error: ${(err as Error)?.message ?? String(err)}` }, head);
    }
  }
}
