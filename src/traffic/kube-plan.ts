/**
 * What the plans of both Kubernetes providers share: a read-only client of the cluster `--kubeconfig`
 * and `--context` name (logging which one), and the exact JSON patches added to a plan.
 */
import { createCustomObjects, type CustomObjects } from '../kube/custom-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { planPatches } from './plan-patches.js';
import type { ItemRegion } from './region-patch.js';
import type { PlanRequest, PlanSources, RoutingObject, TrafficPlan, TrafficState } from './types.js';

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
