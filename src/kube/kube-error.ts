/**
 * Turning what the Kubernetes client throws into mesh-exp errors a user can act on: each names the
 * verb, the resource and the namespace, keeps the API server's own message (CEL rule failures
 * included) and carries a hint. Retryable failures (unreachable server, 429, 5xx) are marked so
 * `withKubeRetry` can back off and try again.
 */
import { RuntimeError, type MeshExpErrorOptions } from '../errors.js';

/** What a request was about, for messages. */
export interface KubeRequest {
  /** Kubernetes verb: get, list, watch, patch, create, delete. */
  verb: string;
  /** Resource as `plural.group`, e.g. "virtualservices.networking.istio.io". */
  resource: string;
  /** Namespace of the request. */
  namespace?: string;
  /** Object name, when the request names one. */
  name?: string;
  /** API server URL, for "cannot reach" messages. */
  server?: string;
}

/** One field-level cause from a Status (422 Invalid). */
export interface KubeCause {
  /** Field path, e.g. "spec.http[0].route[0].weight". */
  field?: string;
  /** The server's message for it (e.g. a CEL rule's message). */
  message: string;
}

/** A failed Kubernetes API request. */
export class KubeApiError extends RuntimeError {
  /** HTTP status (0 when no HTTP answer came: unreachable server, TLS failure). */
  readonly status: number;
  /** Status.reason, e.g. "Forbidden", "Conflict", "Invalid", "NotFound". */
  readonly reason: string | undefined;
  /** Field causes of an Invalid response. */
  readonly causes: KubeCause[];
  /** True when trying again later may succeed (unreachable, 429, 5xx). */
  readonly retryable: boolean;
  /** The request. */
  readonly request: KubeRequest;

  constructor(message: string, fields: { status: number; reason?: string; causes?: KubeCause[]; request: KubeRequest; retryable?: boolean }, options: MeshExpErrorOptions = {}) {
    super(message, options);
    this.status = fields.status;
    this.reason = fields.reason;
    this.causes = fields.causes ?? [];
    this.request = fields.request;
    this.retryable = fields.retryable ?? (fields.status === 429 || fields.status >= 500);
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ field?: string; message?: string }> };
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body.trim() || undefined };
    }
  }
  return body && typeof body === 'object' ? (body as StatusBody) : {};
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code ?? (e as { errno?: unknown }).errno;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

function describe(req: KubeRequest): string {
  const obj = req.name ? `${req.resource} "${req.name}"` : req.resource;
  return `${req.verb} ${obj}${req.namespace ? ` in namespace ${req.namespace}` : ''}`;
}

/** The KubeApiError for anything the client threw during `request` (already-translated errors pass through). */
export function toKubeError(err: unknown, request: KubeRequest): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 100) {
    const body = parseBody((err as { body?: unknown }).body);
    const serverMessage = body.message ?? (err as Error).message.split('\n')[0] ?? '';
    const causes = (body.details?.causes ?? []).filter((c) => c.message).map((c) => ({ ...(c.field ? { field: c.field } : {}), message: c.message! }));
    const fields = { status: code, ...(body.reason ? { reason: body.reason } : {}), causes, request };
    if (code === 403) {
      return new KubeApiError(`forbidden: cannot ${describe(request)} (the API server said: ${serverMessage})`, fields, {
        cause: err,
        hint: `grant the verb "${request.verb}" on ${request.resource} in namespace ${request.namespace ?? '(cluster)'} — deploy/rbac.yaml has the Role mesh-exp needs; for a scheduled run, \`mesh-exp schedule --apply\` again writes the Role its providers need`,
      });
    }
    if (code === 401) {
      return new KubeApiError(`unauthorized: the API server rejected the credentials for ${describe(request)}`, fields, { cause: err, hint: 'refresh the kubeconfig credentials (token expired?) or pick another --context' });
    }
    if (code === 404) {
      return new KubeApiError(`not found: ${describe(request)}: ${serverMessage}`, fields, { cause: err, hint: 'check the namespace and name, and that the CRD is installed (kubectl get crd)' });
    }
    if (code === 422) {
      const list = causes.length ? causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`).join('; ') : serverMessage;
      return new KubeApiError(`the API server rejected the ${request.verb} of ${request.resource}${request.name ? ` "${request.name}"` : ''}: ${list}`, fields, {
        cause: err,
        hint: 'the object failed the CRD\'s validation rules (Istio\'s CEL rules included); the experiment asked for something Istio does not accept',
      });
    }
    return new KubeApiError(`${describe(request)} failed: HTTP ${code}${body.reason ? ` ${body.reason}` : ''}: ${serverMessage}`, fields, { cause: err });
  }
  const net = networkCode(err);
  const where = request.server ? ` at ${request.server}` : '';
  if (net) {
    return new KubeApiError(`cannot reach the Kubernetes API server${where} (${net}) to ${describe(request)}`, { status: 0, request, retryable: true }, {
      cause: err,
      hint: 'check the cluster is up and the kubeconfig\'s server address (kubectl cluster-info)',
    });
  }
  return new KubeApiError(`${describe(request)} failed: ${(err as Error)?.message ?? String(err)}`, { status: 0, request }, { cause: err });
}
