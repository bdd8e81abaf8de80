/**
 * The gateway-api provider's plan: the HTTPRoute read from the cluster (read only), each step
 * rendered, and the exact JSON patch of each change.
 */
import { connectForPlan, withPatches } from '../kube-plan.js';
import { httpRouteTargetOf } from '../target-object.js';
import type { PlanRequest, PlanSources, TrafficPlan, TrafficState } from '../types.js';
import { readHttpRoute } from './httproute-preflight.js';
import { findTargetRule, renderHttpRoute, ruleLabel, ruleRegionOf } from './rule-render.js';
import type { HTTPRouteObject } from './types.js';

/** Plans `request` against the live HTTPRoute; changes nothing. */
export async function planGatewayApi(request: PlanRequest, sources: PlanSources): Promise<TrafficPlan<HTTPRouteObject>> {
  const target = httpRouteTargetOf({ ...request.target, httpRoute: request.target.httpRoute ?? '' });
  const objects = await connectForPlan(sources, `HTTPRoute ${target.namespace}/${target.httpRoute}`);
  const current = await readHttpRoute(objects, target.namespace, target.httpRoute);
  const found = findTargetRule(current, target);
  // Renders every step (and the promotion) before anything is printed, so what an HTTPRoute cannot express is refused first.
  const change = (state: TrafficState) => ({ object: renderHttpRoute(current, target, state) });
  const plan: TrafficPlan<HTTPRouteObject> = {
    current,
    routeLabel: ruleLabel(found.rule, found.index),
    steps: request.states.map(change),
    ...(request.promotion ? { promotion: change(request.promotion) } : {}),
  };
  return withPatches(plan, request, (state) => ruleRegionOf(current, target, state), '/spec/rules');
}
