/**
 * The admin server's VirtualService API, which runs attached to a standalone `mesh-exp mesh` use
 * (`spec.local.attach`) — a very small Kubernetes-style API for one kind:
 *
 *   GET /config/virtualservices/<ns>/<name>  → 200 {resourceVersion, generation, virtualService}
 *   PUT /config/virtualservices/<ns>/<name>  body {resourceVersion?, virtualService} → 200, same shape
 *
 * PUT replaces an existing VirtualService (404 for an unknown one: it never creates). It is checked
 * with the rules the mesh applies on load (the manifest schema, then compilation against the running
 * services); the routes are in force when the answer is sent. Errors are JSON
 * `{status, message, problems?}`: 400 malformed request, 403 not from loopback, 404 unknown object,
 * 405 writes disabled, 409 stale resourceVersion (optimistic concurrency, as in Kubernetes; omit it
 * for an unconditional replace), 413 body over 1 MiB, 422 an object the mesh rejects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError, type Problem } from '../../errors.js';
import type { VirtualService } from '../../istio/types.js';
import { formatPath } from '../../input/locate.js';
import { virtualServiceSchema } from '../../istio/manifest-schema.js';
import { isLoopback } from './listen-address.js';

/** URL prefix of the API. */
export const CONFIG_PATH_PREFIX = '/config/virtualservices/';

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
}

class HttpProblem extends Error {
  constructor(readonly status: number, message: string, readonly problems: Problem[] = []) {
    super(message);
  }
}

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
function parsePut(text: string, namespace: string, name: string, store: VirtualServiceStore): { vs: VirtualService; resourceVersion?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpProblem(400, `body is not JSON: ${(err as Error).message}`);
  }
  const env = body as { resourceVersion?: unknown; virtualService?: unknown } | null;
  if (env === null || typeof env !== 'object' || Array.isArray(env) || env.virtualService === undefined) {
    throw new HttpProblem(400, 'expected {"resourceVersion": "<from GET>", "virtualService": {...}}');
  }
  if (env.resourceVersion !== undefined && typeof env.resourceVersion !== 'string') {
    throw new HttpProblem(400, 'resourceVersion must be a string (as GET returns it)');
  }
  const parsed = virtualServiceSchema.safeParse(env.virtualService);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: formatPath(['virtualService', ...(i.path as (string | number)[])]), message: i.message }));
    throw new HttpProblem(422, 'the VirtualService is invalid; nothing was changed', problems);
  }
  const vs = env.virtualService as VirtualService;
  const at = `${vs.metadata.namespace ?? store.namespace}/${vs.metadata.name}`;
  if (at !== `${namespace}/${name}`) throw new HttpProblem(400, `the body is VirtualService ${at}, the URL names ${namespace}/${name}`);
  return { vs, ...(env.resourceVersion !== undefined ? { resourceVersion: env.resourceVersion } : {}) };
}

async function handle(req: IncomingMessage, store: VirtualServiceStore, namespace: string, name: string): Promise<VirtualServiceEnvelope> {
  const where = `VirtualService ${namespace}/${name}`;
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    const found = store.get(namespace, name);
    if (!found) throw new HttpProblem(404, `${where} is not served by this mesh`);
    return found;
  }
  if (req.method !== 'PUT') throw new HttpProblem(405, 'use GET or PUT');
  if (!store.writable) throw new HttpProblem(405, store.readOnlyReason ?? 'this mesh was started read-only (--read-only): writes are refused');
  if (!isLoopback(peer(req))) throw new HttpProblem(403, `writes are accepted from loopback only, not from ${peer(req)}`);
  const { vs, resourceVersion } = parsePut(await readBody(req), namespace, name, store);
  // From here to the swap nothing awaits, so the version check and the write are atomic.
  const current = store.get(namespace, name);
  if (!current) throw new HttpProblem(404, `${where} is not served by this mesh (PUT replaces, it does not create)`);
  if (resourceVersion !== undefined && resourceVersion !== current.resourceVersion) {
    throw new HttpProblem(409, `${where} changed since resourceVersion ${resourceVersion} (it is at ${current.resourceVersion}); GET it again`);
  }
  try {
    return store.replace(vs);
  } catch (err) {
    if (err instanceof ValidationError) throw new HttpProblem(422, `the mesh rejected ${where}; the previous routes stay in force`, err.problems);
    throw err;
  }
}

/** Answers a request under {@link CONFIG_PATH_PREFIX}. */
export async function handleConfigRequest(req: IncomingMessage, res: ServerResponse, path: string, store: VirtualServiceStore): Promise<void> {
  const head = req.method === 'HEAD';
  try {
    let parts: string[];
    try {
      parts = path.slice(CONFIG_PATH_PREFIX.length).split('/').map(decodeURIComponent);
    } catch {
      throw new HttpProblem(400, 'malformed percent-encoding in the path');
    }
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new HttpProblem(404, `expected ${CONFIG_PATH_PREFIX}<namespace>/<name>`);
    sendJson(res, 200, await handle(req, store, parts[0], parts[1]), head);
  } catch (err) {
    req.resume();
    if (err instanceof HttpProblem) {
      sendJson(res, err.status, { status: err.status, message: err.message, ...(err.problems.length ? { problems: err.problems } : {}) }, head);
    } else {
      sendJson(res, 500, { status: 500, message: `internal error: ${(err as Error)?.message ?? String(err)}` }, head);
    }
  }
}
