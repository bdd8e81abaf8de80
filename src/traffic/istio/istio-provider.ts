/**
 * The `istio` traffic provider: acts on a VirtualService through the Kubernetes API. The managed
 * region is the target route of `spec.http` and the routes it inserts before it (route-patch.ts);
 * the patching, ownership, conflict and restore logic is the core both Kubernetes providers share
 * (kube-region-provider.ts). Its plan reads the VirtualService and DestinationRules from the cluster
 * and adds the exact JSON patches.
 */
import { DESTINATION_RULE, VIRTUAL_SERVICE } from '../../kube/custom-objects.js';
import type { PolicyRule } from '../../kube/policy-rules.js';
import type { HTTPRoute, VirtualService } from '../../istio/types.js';
import { type KubeProviderOptions, type RegionModel, createKubeRegionProvider } from '../kube-region-provider.js';
import { connectForPlan, withPatches, withPolicyPatches } from '../plan-patches.js';
import { requireVirtualService } from '../target-object.js';
import type { TargetRef } from '../target-route.js';
import type { PlanRequest, PlanSources, TrafficPlan, TrafficProvider } from '../types.js';
import { planVirtualService } from '../virtual-service-plan.js';
import { istioPreflight, readDestinationRules, readTarget } from './istio-preflight.js';
import { regionOf } from './route-patch.js';

export { ConcurrentChangeError } from '../kube-region-provider.js';

/** Options for {@link createIstioProvider}. */
export interface IstioProviderOptions extends KubeProviderOptions {
  /** The experiment's target. */
  target: TargetRef & { virtualService: string; namespace?: string };
}

/** How the istio provider sees a VirtualService: its `spec.http` routes. */
export function istioModel(target: TargetRef & { virtualService: string; namespace: string }): RegionModel<VirtualService, HTTPRoute> {
  return {
    type: VIRTUAL_SERVICE,
    field: 'target.virtualService',
    base: '/spec/http',
    itemsOf: (vs) => vs.spec.http ?? [],
    regionOf: (original, state) => regionOf(original, target, state),
    describe: describeRoutes,
    policyHost: target.host,
    canary: target.canary,
    preflight: async (objects, planned) => void (await istioPreflight({ objects, target, plannedStates: planned })),
  };
}

/**
 * What the provider's own requests need in the target's namespace (`mesh-exp schedule` makes the
 * Role from it): get, list and patch the VirtualService (read, the not-found message's list of what
 * exists, every change and preflight's dry run; never create, update or delete) and get, list and
 * patch the DestinationRules (the subsets are checked against the list; `traffic.policy` reads,
 * dry-runs and patches its rule: kube-policy-region.ts).
 */
export const ISTIO_RBAC: readonly PolicyRule[] = [
  { apiGroups: [VIRTUAL_SERVICE.group], resources: [VIRTUAL_SERVICE.plural], verbs: ['get', 'list', 'patch'] },
  { apiGroups: [DESTINATION_RULE.group], resources: [DESTINATION_RULE.plural], verbs: ['get', 'list', 'patch'] },
];

/** Creates the istio provider. */
export function createIstioProvider(options: IstioProviderOptions): TrafficProvider<VirtualService> {
  const namespace = options.target.namespace ?? 'default';
  const target = { ...options.target, namespace };
  return createKubeRegionProvider(istioModel(target), namespace, target.virtualService, options);
}

/** Route names (or positions) and destinations, for messages. */
function describeRoutes(routes: readonly HTTPRoute[]): string {
  return routes.map((r, i) => `${r.name ? `"${r.name}"` : `#${i}`} → ${(r.route ?? []).map((d) => `${d.destination.subset ?? d.destination.host}:${d.weight ?? '-'}`).join(',')}`).join('; ') || '(no routes)';
}

/** Plans `request` against the live VirtualService; changes nothing. */
export async function planIstio(request: PlanRequest, sources: PlanSources): Promise<TrafficPlan<VirtualService>> {
  const target = requireVirtualService(request.target);
  const namespace = target.namespace ?? 'default';
  const objects = await connectForPlan(sources, `VirtualService ${namespace}/${target.virtualService}`);
  const current = await readTarget(objects, namespace, target.virtualService);
  const manifests = { virtualServices: [current], destinationRules: await readDestinationRules(objects, namespace), files: [] };
  const plan = planVirtualService(request, manifests);
  return withPolicyPatches(withPatches(plan, request, (state) => regionOf(plan.current, target, state), '/spec/http'), request, objects, target.host, namespace);
}
