/**
 * The `gateway-api` traffic provider: shifts the weights of two backendRefs of one rule of a
 * Gateway API HTTPRoute (Istio implements HTTPRoute for mesh and ingress traffic), mirrors with a
 * RequestMirror filter, and routes an A/B audience to the canary with a rule it inserts. Weights
 * are relative (default 1): mesh-exp writes stable 100−w and canary w. Faults have no Gateway API
 * equivalent and are refused in preflight. The patching, ownership, conflict and restore logic is
 * the core both Kubernetes providers share (kube-region-provider.ts).
 */
import { HTTP_ROUTE } from '../../kube/custom-objects.js';
import { type KubeProviderOptions, type RegionModel, createKubeRegionProvider } from '../kube-region-provider.js';
import type { TrafficProvider } from '../types.js';
import { httpRoutePreflight } from './httproute-preflight.js';
import { describeRule, ruleRegionOf } from './rule-render.js';
import type { HTTPRouteObject, HTTPRouteRule, HTTPRouteTarget } from './types.js';

/** Options for {@link createGatewayApiProvider}. */
export interface GatewayApiProviderOptions extends KubeProviderOptions {
  /** The HTTPRoute, its rule and the two Services. */
  target: HTTPRouteTarget;
}

/** How the gateway-api provider sees an HTTPRoute: its `spec.rules`. */
export function gatewayApiModel(target: HTTPRouteTarget): RegionModel<HTTPRouteObject, HTTPRouteRule> {
  return {
    type: HTTP_ROUTE,
    field: 'target.httpRoute',
    base: '/spec/rules',
    itemsOf: (route) => route.spec.rules ?? [],
    regionOf: (original, state) => ruleRegionOf(original, target, state),
    describe: (rules) => rules.map(describeRule).join('; ') || '(no rules)',
    preflight: async (objects, planned) => void (await httpRoutePreflight(objects, target, planned)),
  };
}

/** Creates the gateway-api provider. */
export function createGatewayApiProvider(options: GatewayApiProviderOptions): TrafficProvider<HTTPRouteObject> {
  return createKubeRegionProvider(gatewayApiModel(options.target), options.target.namespace, options.target.httpRoute, options);
}
