/**
 * The exact JSON patches the istio provider sends. The parts of a VirtualService an experiment
 * manages form one contiguous "region" of `spec.http`: the routes it inserts (0–2, see render.ts)
 * followed by the target route. Every state renders, from the snapshot, to one region; a change of
 * state replaces the region it last wrote with the next one, and restore replaces it with the
 * original's region (the target route alone).
 *
 * A patch first `test`s every route of the region it expects at the index it found it — so a
 * concurrent edit of a managed route makes the API server refuse the patch instead of mesh-exp
 * overwriting it — then rewrites only what differs. Routes outside the region, the user's other
 * fields and everyone else's later edits are not in the patch at all, so they survive. A
 * `resourceVersion` precondition is added where the write must be exact (claim, release): the
 * server answers 409 when the object changed since it was read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonPatchOp } from '../../kube/custom-objects.js';
import type { HTTPRoute, VirtualService } from '../../istio/types.js';
import type { ItemRegion } from '../kube-region-provider.js';
import type { Annotated } from '../ownership.js';
import { renderVirtualService } from '../render.js';
import { findTargetRoute, type TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';

/** The managed routes of one state: `start` is the original target route's index; `items` the inserted routes, then the target route. */
export type Region = ItemRegion<HTTPRoute>;

/** Escapes one JSON-pointer token (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The region `state` renders to on `original` (the empty state: the target route alone). */
export function regionOf(original: VirtualService, target: TargetRef, state: TrafficState): Region {
  const start = findTargetRoute(original, target).index;
  const rendered = renderVirtualService(original, target, state);
  const inserted = (rendered.spec.http?.length ?? 0) - (original.spec.http?.length ?? 0);
  return { start, items: (rendered.spec.http ?? []).slice(start, start + inserted + 1) };
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
export function regionPatch<R>(at: number, from: readonly R[], to: readonly R[], base = '/spec/http'): JsonPatchOp[] {
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
