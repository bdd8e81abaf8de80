/**
 * The exact JSON patches a run would send, for `mesh-exp plan` against a live cluster: step by
 * step (each from the region the previous step wrote), the promotion, and the restore from the last
 * step. The annotation ops of claim and release are left out: they touch only the ownership mark.
 * Works for both Kubernetes providers: give it the provider's region renderer and list pointer.
 * Also the read-only client their plans read the object with.
 */
import { createCustomObjects, type CustomObjects, type JsonPatchOp } from '../kube/custom-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { type ItemRegion, regionPatch } from './region-patch.js';
import type { PlanRequest, PlanSources, RoutingObject, TrafficPlan, TrafficState } from './types.js';

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

/** A read-only client of the cluster `sources.kube` names; logs what is read (`what`) from where. */
export async function connectForPlan(sources: PlanSources, what: string): Promise<CustomObjects> {
  const { kubeconfig, context, env, cwd } = sources.kube;
  const loaded = await loadKubeConfig({ env, cwd, ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) });
  sources.logger.info(`plan: reading ${what} from ${loaded.server} (context ${loaded.context})`);
  return createCustomObjects(loaded.kubeConfig);
}

/**
 * Sets each step's, the promotion's and the restore's JSON patch on `plan`: the region each state
 * renders to (`regionFor`) in the list at JSON pointer `base` ("/spec/http", "/spec/rules").
 */
export function withPatches<O extends RoutingObject, R>(plan: TrafficPlan<O>, request: PlanRequest, regionFor: (state: TrafficState) => ItemRegion<R>, base: string): TrafficPlan<O> {
  const patches = planPatches(regionFor, base, request.states, request.promotion);
  return {
    ...plan,
    steps: plan.steps.map((s, i) => ({ ...s, patch: patches.steps[i]! })),
    ...(plan.promotion && patches.promotion ? { promotion: { ...plan.promotion, patch: patches.promotion } } : {}),
    restorePatch: patches.restore,
  };
}
