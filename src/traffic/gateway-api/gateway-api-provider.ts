/**
 * The `gateway-api` traffic provider: shifts the weights of two backendRefs of one rule of a
 * Gateway API HTTPRoute (Istio implements HTTPRoute for mesh and ingress traffic), mirrors with a
 * RequestMirror filter, and routes an A/B audience to the canary with a rule it inserts. Weights
 * are relative (default 1): mesh-exp writes stable 100−w and canary w. Faults have no Gateway API
 * equivalent and are refused in preflight. The patching, ownership, conflict and restore logic is
 * the core both Kubernetes providers share (kube-region-provider.ts). Its plan reads the HTTPRoute
 * from the cluster and adds the exact JSON patches.
 */
import { DESTINATION_RULE, HTTP_ROUTE } from '../../kube/custom-objects.js';
import type { PolicyRule } from '../../kube/policy-rules.js';
import { type KubeProviderOptions, type RegionModel, createKubeRegionProvider } from '../kube-region-provider.js';
import { connectForPlan, withPatches, withPolicyPatches } from '../plan-patches.js';
import { httpRouteTargetOf } from '../target-object.js';
import type { PlanRequest, PlanSources, TrafficPlan, TrafficProvider, TrafficState } from '../types.js';
import { httpRoutePreflight, readHttpRoute } from './httproute-preflight.js';
import { describeRule, findTargetRule, renderHttpRoute, ruleLabel, ruleRegionOf } from './rule-render.js';
import type { HTTPRouteObject, HTTPRouteRule, HTTPRouteTarget } from './types.js';

/** Options for {@link createGatewayApiProvider}. */
export interface GatewayApiProviderOptions extends KubeProviderOptions {
  /** The HTTPRoute, its rule and the two Services. */
  target: HTTPRouteTarget;
}

/**
 * What the provider's own requests need in the target's namespace (`mesh-exp schedule` makes the
 * Role from it): get, list and patch the HTTPRoute (read, the not-found message's list, every change
 * and preflight's dry run; never create, update or delete), and the same on DestinationRules for
 * `traffic.policy` (Istio applies them to the Services an HTTPRoute sends to; list finds the rule
 * by host: kube-policy-region.ts).
 */
export const GATEWAY_API_RBAC: readonly PolicyRule[] = [
  { apiGroups: [HTTP_ROUTE.group], resources: [HTTP_ROUTE.plural], verbs: ['get', 'list', 'patch'] },
  { apiGroups: [DESTINATION_RULE.group], resources: [DESTINATION_RULE.plural], verbs: ['get', 'list', 'patch'] },
];

/** How the gateway-api provider sees an HTTPRoute: its `spec.rules`. */
export function gatewayApiModel(target: HTTPRouteTarget): RegionModel<HTTPRouteObject, HTTPRouteRule> {
  return {
    type: HTTP_ROUTE,
    field: 'target.httpRoute',
    base: '/spec/rules',
    itemsOf: (route) => route.spec.rules ?? [],
    regionOf: (original, state) => ruleRegionOf(original, target, state),
    describe: (rules) => rules.map(describeRule).join('; ') || '(no rules)',
    // Istio applies a DestinationRule to the Services an HTTPRoute sends to; without target.host, the canary's.
    policyHost: target.host ?? target.canary,
    canary: target.canary,
    preflight: async (objects, planned) => void (await httpRoutePreflight(objects, target, planned)),
  };
}

/** Creates the gateway-api provider. */
export function createGatewayApiProvider(options: GatewayApiProviderOptions): TrafficProvider<HTTPRouteObject> {
  return createKubeRegionProvider(gatewayApiModel(options.target), options.target.namespace, options.target.httpRoute, options);
}

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
  const patched = withPatches(plan, request, (state) => ruleRegionOf(current, target, state), '/spec/rules');
  return withPolicyPatches(patched, request, objects, target.host ?? target.canary, target.namespace);
}
