/**
 * The exact JSON patches a run would send, for `mesh-exp plan` against a live cluster: step by
 * step (each from the region the previous step wrote), the promotion, and the restore from the last
 * step. The annotation ops of claim and release are left out: they touch only the ownership mark.
 * Works for both Kubernetes providers: give it the provider's region renderer and list pointer.
 */
import type { JsonPatchOp } from '../kube/custom-objects.js';
import { type ItemRegion, regionPatch } from './region-patch.js';
import type { TrafficState } from './types.js';

/** The patches of a run. */
export interface PlannedPatches {
  /** One per step, in order. */
  steps: JsonPatchOp[][];
  /** The promotion after the last step, when the run promotes. */
  promotion?: JsonPatchOp[];
  /** The restore after the last step (rollback, error, interrupt). */
  restore: JsonPatchOp[];
}

/**
 * Computes the patches for `states` applied in order to the current object (whose region for each
 * state `regionOf` renders), then the promotion or not. `base`: "/spec/http" or "/spec/rules".
 */
export function planPatches<R>(regionOf: (state: TrafficState) => ItemRegion<R>, base: string, states: readonly TrafficState[], promotion?: TrafficState): PlannedPatches {
  const original = regionOf({});
  let from = original;
  const steps = states.map((state) => {
    const next = regionOf(state);
    const ops = regionPatch(original.start, from.items, next.items, base);
    from = next;
    return ops;
  });
  const restore = regionPatch(original.start, from.items, original.items, base);
  return {
    steps,
    restore,
    ...(promotion ? { promotion: regionPatch(original.start, from.items, regionOf(promotion).items, base) } : {}),
  };
}
