/**
 * The gateway-api provider's preflight, each failure one message with a hint: the Gateway API
 * served at v1, the HTTPRoute there and not held by another run, the target rule found with both
 * Services as backendRefs, every planned state expressible on an HTTPRoute (no faults), and every
 * planned patch accepted by the API server in a dry run (the CRD's schema and CEL rules).
 */
import { RuntimeError } from '../../errors.js';
import { type CustomObjects, HTTP_ROUTE } from '../../kube/custom-objects.js';
import { dryRunStates, readOwned, refuseHeld } from '../kube-owned.js';
import { regionPatch } from '../region-patch.js';
import type { TrafficState } from '../types.js';
import { ruleRegionOf } from './rule-render.js';
import type { HTTPRouteObject, HTTPRouteTarget } from './types.js';

/** Reads the HTTPRoute; a missing one is an error listing those that exist. */
export function readHttpRoute(objects: CustomObjects, namespace: string, name: string): Promise<HTTPRouteObject> {
  return readOwned<HTTPRouteObject>(objects, HTTP_ROUTE, namespace, name, 'target.httpRoute');
}

/** Runs every check; resolves the HTTPRoute as it is now. */
export async function httpRoutePreflight(objects: CustomObjects, target: HTTPRouteTarget, plannedStates: readonly TrafficState[]): Promise<HTTPRouteObject> {
  const versions = await objects.servedVersions(HTTP_ROUTE.group);
  if (!versions.includes(HTTP_ROUTE.version)) {
    throw new RuntimeError(`the cluster at ${objects.server} does not serve ${HTTP_ROUTE.group}/${HTTP_ROUTE.version}${versions.length ? ` (only ${versions.join(', ')})` : ''}`, {
      hint: 'install the Gateway API CRDs (standard channel, v1.0 or later), or check --context',
    });
  }
  const route = await readHttpRoute(objects, target.namespace, target.httpRoute);
  refuseHeld(route);
  const from = ruleRegionOf(route, target, {});
  // Render every state first: what an HTTPRoute cannot express is refused before any request.
  const regions = new Map(plannedStates.map((s) => [s, ruleRegionOf(route, target, s)]));
  await dryRunStates({
    objects,
    type: HTTP_ROUTE,
    namespace: target.namespace,
    name: target.httpRoute,
    states: plannedStates,
    opsFor: (state) => regionPatch(from.start, from.items, regions.get(state)!.items, '/spec/rules'),
    judge: 'the API server',
    canary: target.canary,
  });
  return route;
}
