/**
 * The plan of the providers that act on a VirtualService (local, local-attach, istio): every
 * planned state checked against the object and its DestinationRules, then rendered from the object
 * as it is now, exactly as a run renders each step from its snapshot.
 */
import { UsageError } from '../errors.js';
import type { ManifestSet } from '../istio/manifests.js';
import type { VirtualService } from '../istio/types.js';
import { checkPlannedStates } from './preflight.js';
import { renderVirtualService } from './render.js';
import { requireVirtualService } from './target-object.js';
import { findTargetRoute } from './target-route.js';
import type { PlanRequest, TrafficPlan } from './types.js';

/** The plan of the target VirtualService as `manifests` hold it (without patches: they are the Kubernetes providers' to add). */
export function planVirtualService(request: PlanRequest, manifests: ManifestSet): TrafficPlan<VirtualService> {
  const target = requireVirtualService(request.target);
  const namespace = target.namespace ?? 'default';
  const current = manifests.virtualServices.find((vs) => vs.metadata.name === target.virtualService && (vs.metadata.namespace ?? 'default') === namespace);
  if (!current) {
    throw new UsageError(`VirtualService ${namespace}/${target.virtualService} is not in the manifests`, {
      hint: `manifests define: ${manifests.virtualServices.map((vs) => `${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`).join(', ') || 'none'}`,
    });
  }
  checkPlannedStates(current, target, [...request.states, ...(request.promotion ? [request.promotion] : [])], manifests.destinationRules);
  const route = findTargetRoute(current, target);
  const change = (state: PlanRequest['states'][number]) => ({ object: renderVirtualService(current, target, state) });
  return {
    current,
    routeLabel: route.route.name ? `"${route.route.name}"` : `#${route.index}`,
    steps: request.states.map(change),
    ...(request.promotion ? { promotion: change(request.promotion) } : {}),
  };
}
