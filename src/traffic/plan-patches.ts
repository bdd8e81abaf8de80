/**
 * The exact JSON patches a run would send, for `mesh-exp plan` against a live cluster: step by
 * step (each from the region the previous step wrote), the promotion, and the restore from the last
 * step. The annotation ops of claim and release are left out: they touch only the ownership mark.
 * Works for both Kubernetes providers: give it the provider's region renderer and list pointer.
 * Also the read-only client their plans read the object with, and the DestinationRule patches of
 * `traffic.policy`.
 */
import type { DestinationRule } from '../istio/types.js';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type JsonPatchOp } from '../kube/custom-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { userOwned } from './kube-owned.js';
import { runPolicyOf } from './kube-policy-region.js';
import { valueAt } from './patch-conflict.js';
import { type ItemRegion, regionPatch, valuePatch } from './region-patch.js';
import { findPolicyRule, policyPointer, renderDestinationRule } from './render-policy.js';
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

/**
 * Adds the DestinationRule patches of `traffic.policy` to `plan` (each step's `policyPatch`, the
 * promotion's, and the restore's), as the run sends them: read from the rule as it is now (the
 * resourceVersion precondition of an absent trafficPolicy is the one read here). No policy: `plan`.
 */
export async function withPolicyPatches<O extends RoutingObject>(plan: TrafficPlan<O>, request: PlanRequest, objects: CustomObjects, host: string, namespace: string): Promise<TrafficPlan<O>> {
  const policy = runPolicyOf(request.states);
  if (!policy) return plan;
  const listed = await objects.list(DESTINATION_RULE, namespace);
  const rule = findPolicyRule(listed.map((o) => userOwned<DestinationRule>(o, DESTINATION_RULE)), policy, host, namespace);
  const rv = listed.find((o) => o.metadata.name === rule.metadata.name)?.metadata.resourceVersion ?? '';
  const pointer = policyPointer(rule, policy);
  const guards: JsonPatchOp[] = policy.subset === undefined ? [] : [{ op: 'test', path: pointer.replace(/trafficPolicy$/, 'name'), value: policy.subset }];
  const valueOf = (state: TrafficState) => valueAt(renderDestinationRule(rule, state.policy), pointer);
  const original = valueAt(rule, pointer);
  let from = original;
  const steps = plan.steps.map((change, i) => {
    const next = valueOf(request.states[i]!);
    const policyPatch = valuePatch(pointer, from, next, rv, guards);
    from = next;
    return { ...change, policyPatch };
  });
  return {
    ...plan,
    steps,
    ...(plan.promotion && request.promotion ? { promotion: { ...plan.promotion, policyPatch: valuePatch(pointer, from, valueOf(request.promotion), rv, guards) } } : {}),
    policy: { rule: `DestinationRule ${namespace}/${rule.metadata.name}`, restorePatch: valuePatch(pointer, from, original, rv, guards) },
  };
}
