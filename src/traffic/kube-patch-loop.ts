/**
 * The write loop of the Kubernetes providers, for any one object they change (the VirtualService
 * or HTTPRoute, and the DestinationRule of `traffic.policy`): read the object, build the JSON patch
 * from what was read, send it; a patch refused because the object moved on (a 409, or a bare 422
 * whose `test` no longer holds: patch-conflict.ts) is read again and rebuilt, up to `attempts`
 * tries. Every request backs off while the API server is unreachable (retry.ts).
 */
import { RuntimeError } from '../errors.js';
import type { CustomObjects, JsonPatchOp, KubeObject, ResourceType } from '../kube/custom-objects.js';
import { KubeApiError } from '../kube/kube-error.js';
import { type KubeRetryOptions, withKubeRetry } from '../kube/retry.js';
import { isPatchConflict } from './patch-conflict.js';

/** The parts of an object mesh-exp manages were changed by someone else during the run. */
export class ConcurrentChangeError extends RuntimeError {}

/** Options of {@link createPatchLoop}. */
export interface PatchLoopOptions {
  /** The resource of the object. */
  type: ResourceType;
  /** Its namespace. */
  namespace: string;
  /** Its name. */
  name: string;
  /** The client (resolved once, on first use). */
  client: () => Promise<CustomObjects>;
  /** Backoff while the API server is away. @default withKubeRetry's defaults */
  retry?: KubeRetryOptions;
  /** Tries when a patch is refused because the object moved on. @default 5 */
  attempts?: number;
  /** Test seam: runs after each read and before the patch built from it. @default none */
  beforePatch?: (attempt: number) => Promise<void>;
}

/** Reading and patching one object. */
export interface PatchLoop {
  /** "DestinationRule ns/name at https://..." once connected, for messages. */
  where(): string;
  /** Reads the object; throws when it was deleted. */
  read(): Promise<KubeObject>;
  /**
   * Reads, calls `build` with what it read, sends the ops it returns (none: nothing is sent and the
   * object read is returned); a refusal because the object moved on starts again from the read.
   */
  patch(build: (live: KubeObject, resourceVersion: string) => Promise<JsonPatchOp[] | undefined>): Promise<KubeObject>;
}

/** Creates the loop for the object `namespace/name` of `type`. */
export function createPatchLoop(options: PatchLoopOptions): PatchLoop {
  const { type, namespace, name } = options;
  const attempts = options.attempts ?? 5;
  const retry = <T>(fn: () => Promise<T>) => withKubeRetry(fn, options.retry);
  let where = `${type.kind} ${namespace}/${name}`;

  const read = async () => {
    const objects = await options.client();
    where = `${type.kind} ${namespace}/${name} at ${objects.server}`;
    const obj = await retry(() => objects.get(type, namespace, name));
    if (!obj) throw new RuntimeError(`${where} was deleted during the run`, { hint: 'the journal\'s "snapshot" line holds the original; re-create it from there' });
    return obj;
  };

  return {
    where: () => where,
    read,
    async patch(build) {
      const objects = await options.client();
      for (let attempt = 1; ; attempt++) {
        const obj = await read();
        const ops = await build(obj, obj.metadata.resourceVersion ?? '');
        if (!ops?.length) return obj;
        await options.beforePatch?.(attempt);
        try {
          return await retry(() => objects.patch(type, namespace, name, ops));
        } catch (err) {
          if (attempt >= attempts) throw err;
          if (isPatchConflict(err)) continue;
          // A bare 422 may be a failed `test`: decide on the object as it is now.
          const reread = err instanceof KubeApiError && err.status === 422 ? await read() : undefined;
          if (!isPatchConflict(err, reread, ops)) throw err;
        }
      }
    },
  };
}
