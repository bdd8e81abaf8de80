/**
 * The istio provider's plan: the target VirtualService and its namespace's DestinationRules read
 * from the cluster (read only), each step rendered, and the exact JSON patch of each change.
 */
import type { VirtualService } from '../../istio/types.js';
import { connectForPlan, withPatches } from '../kube-plan.js';
import { requireVirtualService } from '../target-object.js';
import type { PlanRequest, PlanSources, TrafficPlan } from '../types.js';
import { planVirtualService } from '../virtual-service-plan.js';
import { readDestinationRules, readTarget } from './istio-preflight.js';
import { regionOf } from './route-patch.js';

/** Plans `request` against the live VirtualService; changes nothing. */
export async function planIstio(request: PlanRequest, sources: PlanSources): Promise<TrafficPlan<VirtualService>> {
  const target = requireVirtualService(request.target);
  const namespace = target.namespace ?? 'default';
  const objects = await connectForPlan(sources, `VirtualService ${namespace}/${target.virtualService}`);
  const current = await readTarget(objects, namespace, target.virtualService);
  const manifests = { virtualServices: [current], destinationRules: await readDestinationRules(objects, namespace), files: [] };
  const plan = planVirtualService(request, manifests);
  return withPatches(plan, request, (state) => regionOf(plan.current, target, state), '/spec/http');
}
