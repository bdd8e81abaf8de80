/**
 * The exact JSON patches a run would send, for `mesh-exp plan` against a live cluster: step by
 * step (each from the region the previous step wrote), the promotion, and the restore from the last
 * step. The annotation ops of claim and release are left out: they touch only the ownership mark.
 */
import type { JsonPatchOp } from '../../kube/custom-objects.js';
import type { VirtualService } from '../../istio/types.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';
import { regionOf, regionPatch } from './route-patch.js';

/** The patches of a run. */
export interface PlannedPatches {
  /** One per step, in order. */
  steps: JsonPatchOp[][];
  /** The promotion after the last step, when the run promotes. */
  promotion?: JsonPatchOp[];
  /** The restore after the last step (rollback, error, interrupt). */
  restore: JsonPatchOp[];
}

/** Computes the patches for `states` applied in order to `current`, then the promotion or not. */
export function planPatches(current: VirtualService, target: TargetRef, states: readonly TrafficState[], promotion?: TrafficState): PlannedPatches {
  const original = regionOf(current, target, {});
  let from = original;
  const steps = states.map((state) => {
    const next = regionOf(current, target, state);
    const ops = regionPatch(original.start, from.routes, next.routes);
    from = next;
    return ops;
  });
  const restore = regionPatch(original.start, from.routes, original.routes);
  return {
    steps,
    restore,
    ...(promotion ? { promotion: regionPatch(original.start, from.routes, regionOf(current, target, promotion).routes) } : {}),
  };
}
