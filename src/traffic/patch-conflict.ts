/**
 * Whether the API server refused a JSON patch because the object moved on (a stale resourceVersion,
 * or a `test` op that no longer holds), for both Kubernetes providers: such a patch is read again
 * and re-applied while the region is still the run's (kube-region-provider.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOp, KubeObject } from '../kube/custom-objects.js';
import { KubeApiError } from '../kube/kube-error.js';

/** The value at an RFC 6901 JSON pointer, or undefined when the path does not exist. */
export function valueAt(doc: unknown, pointer: string): unknown {
  let at: unknown = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[Number(key)] : (at as Record<string, unknown>)[key];
  }
  return at;
}

/** True when every `test` operation of a patch holds against `obj`. */
export function testOpsHold(obj: KubeObject, ops: readonly JsonPatchOp[]): boolean {
  return ops.every((op) => op.op !== 'test' || isDeepStrictEqual(valueAt(obj, op.path), op.value));
}

/**
 * True when the API server refused a patch because the object moved on since we read it. A stale
 * resourceVersion is a 409 Conflict. A failed JSON-patch `test` is a bare 422 Invalid ("the server
 * rejected our request due to an error in our request", no causes: kube-apiserver does not say
 * which test failed), so that case is decided on the object read again: if one of the patch's
 * tests no longer holds, it was a conflict; otherwise the 422 is a real rejection (a CEL rule).
 */
export function isPatchConflict(err: unknown, reread?: KubeObject, ops: readonly JsonPatchOp[] = []): boolean {
  if (!(err instanceof KubeApiError)) return false;
  if (err.status === 409) return true;
  if (err.status !== 422 || err.causes.length > 0 || !reread) return false;
  return ops.some((op) => op.op === 'test') && !testOpsHold(reread, ops);
}
