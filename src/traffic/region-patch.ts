/**
 * The JSON patches both Kubernetes providers send (istio on a VirtualService's `spec.http`,
 * gateway-api on an HTTPRoute's `spec.rules`). The parts of the object an experiment manages form
 * one contiguous "region" of the list: the items it inserts followed by the target item. Every
 * state renders, from the snapshot, to one region; a change of state replaces the region it last
 * wrote with the next one, and restore replaces it with the original's region.
 *
 * A patch first `test`s every item of the region it expects at the index it found it — so a
 * concurrent edit of a managed item makes the API server refuse the patch instead of mesh-exp
 * overwriting it — then rewrites only what differs. Items outside the region, the user's other
 * fields and everyone else's later edits are not in the patch at all, so they survive. A
 * `resourceVersion` precondition is added where the write must be exact (claim, release): the
 * server answers 409 when the object changed since it was read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOp } from '../kube/custom-objects.js';
import type { Annotated } from './ownership.js';

/** The managed items (routes or rules) of one state, and where the region starts. */
export interface ItemRegion<R> {
  /** Index of the region's first item in the original. */
  start: number;
  /** The inserted items, then the target item. */
  items: R[];
}

/** Escapes one JSON-pointer token (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Every index at which `routes` occurs, contiguously and deep-equal, in `http`. */
export function locateRegion<R>(http: readonly R[], routes: readonly R[]): number[] {
  const found: number[] = [];
  for (let j = 0; j + routes.length <= http.length; j++) {
    if (routes.every((r, k) => isDeepStrictEqual(http[j + k], r))) found.push(j);
  }
  return found;
}

/**
 * The ops that turn the region `from` found at index `at` into `to`: a `test` of every route of
 * `from`, then the fewest replace/remove/add ops (none when they are equal). `base` is the list's
 * JSON pointer: a VirtualService's `spec.http`, or an HTTPRoute's `spec.rules`.
 */
export function regionPatch<R>(at: number, from: readonly R[], to: readonly R[], base: string): JsonPatchOp[] {
  if (from.length === to.length && from.every((r, k) => isDeepStrictEqual(r, to[k]))) return [];
  const ops: JsonPatchOp[] = from.map((r, k) => ({ op: 'test', path: `${base}/${at + k}`, value: r }));
  if (from.length === to.length) {
    to.forEach((r, k) => {
      if (!isDeepStrictEqual(from[k], r)) ops.push({ op: 'replace', path: `${base}/${at + k}`, value: r });
    });
    return ops;
  }
  // Different numbers of inserted routes: drop the old inserted ones, add the new, then the target.
  const fromInserted = from.length - 1;
  const toInserted = to.length - 1;
  for (let k = 0; k < fromInserted; k++) ops.push({ op: 'remove', path: `${base}/${at}` });
  for (let k = 0; k < toInserted; k++) ops.push({ op: 'add', path: `${base}/${at + k}`, value: to[k] });
  if (!isDeepStrictEqual(from[fromInserted], to[toInserted])) {
    ops.push({ op: 'replace', path: `${base}/${at + toInserted}`, value: to[toInserted] });
  }
  return ops;
}

/** Ops that set annotation `key` to `value` (creating the annotations map when the object has none). */
export function addAnnotationOps(vs: Annotated, key: string, value: string): JsonPatchOp[] {
  if (!vs.metadata.annotations) return [{ op: 'add', path: '/metadata/annotations', value: { [key]: value } }];
  return [{ op: 'add', path: `/metadata/annotations/${pointerToken(key)}`, value }];
}

/**
 * Ops that remove annotation `key` (a `test` of its value first); the whole map goes when it was the
 * only annotation, so an object that had none before the run has none after it.
 */
export function removeAnnotationOps(vs: Annotated, key: string): JsonPatchOp[] {
  const annotations = vs.metadata.annotations ?? {};
  if (!(key in annotations)) return [];
  const path = `/metadata/annotations/${pointerToken(key)}`;
  const test: JsonPatchOp = { op: 'test', path, value: annotations[key] };
  if (Object.keys(annotations).length === 1) return [test, { op: 'remove', path: '/metadata/annotations' }];
  return [test, { op: 'remove', path }];
}

/** A precondition on the object's resourceVersion: the API server answers 409 Conflict when it moved on. */
export function resourceVersionOp(resourceVersion: string): JsonPatchOp {
  return { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion };
}

/**
 * The ops that turn the single value at `pointer` from `from` into `to` (undefined: absent), for a
 * region that is one object rather than a run of list items (a DestinationRule's trafficPolicy):
 * a `test` of `from`, then one replace, add or remove; none when they are equal. An absent value
 * cannot be `test`ed (RFC 6902 has no "absent"), so its add is made exact with the
 * `resourceVersion` precondition instead: the server answers 409 if anything changed since the read.
 * `guards` (e.g. a `test` of the subset's name at that index) go first.
 */
export function valuePatch(pointer: string, from: unknown, to: unknown, resourceVersion: string, guards: readonly JsonPatchOp[] = []): JsonPatchOp[] {
  if (isDeepStrictEqual(from, to)) return [];
  const head: JsonPatchOp[] = [...guards, from === undefined ? resourceVersionOp(resourceVersion) : { op: 'test', path: pointer, value: from }];
  if (to === undefined) return [...head, { op: 'remove', path: pointer }];
  return [...head, { op: from === undefined ? 'add' : 'replace', path: pointer, value: to }];
}
