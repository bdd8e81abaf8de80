/**
 * The plans of the local mesh's providers: `local` plans against the VirtualService of
 * spec.local.manifests; `local-attach` against what the running mesh serves (read through its
 * admin API, read only) when the experiment lists no manifests. With `traffic.policy` the plan
 * carries the DestinationRule it changes, as it is and as each step would leave it.
 */
import { UsageError } from '../../errors.js';
import type { ManifestSet } from '../../istio/manifests.js';
import type { VirtualService } from '../../istio/types.js';
import { createAdminClient } from '../../mesh/admin/admin-client.js';
import { findPlannedRule } from '../policy-rule.js';
import { renderDestinationRule } from '../render-policy.js';
import { requireVirtualService } from '../target-object.js';
import type { PlanRequest, PlanSources, TrafficPlan } from '../types.js';
import { planVirtualService } from '../virtual-service-plan.js';

/** Plans against the manifests the in-process mesh would serve. */
export async function planLocal(request: PlanRequest, sources: PlanSources): Promise<TrafficPlan<VirtualService>> {
  return planBoth(request, await required(sources.manifests(), request));
}

/** Plans against the manifests, else against what the mesh at `sources.endpoint` serves now. */
export async function planAttached(request: PlanRequest, sources: PlanSources): Promise<TrafficPlan<VirtualService>> {
  const manifests = (await sources.manifests()) ?? (sources.endpoint !== undefined ? await served(sources.endpoint) : undefined);
  return planBoth(request, await required(Promise.resolve(manifests), request));
}

/** The VirtualService's plan and, when a state has a policy, the DestinationRule's beside it (rendered as the run renders it). */
function planBoth(request: PlanRequest, manifests: ManifestSet): TrafficPlan<VirtualService> {
  const plan = planVirtualService(request, manifests);
  const states = [...request.states, ...(request.promotion ? [request.promotion] : [])];
  const rule = findPlannedRule(manifests.destinationRules, requireVirtualService(request.target), states);
  if (!rule) return plan;
  const render = (state: PlanRequest['states'][number]) => renderDestinationRule(rule, state.policy);
  return {
    ...plan,
    destinationRule: rule,
    steps: plan.steps.map((change, i) => ({ ...change, destinationRule: render(request.states[i]!) })),
    ...(plan.promotion && request.promotion ? { promotion: { ...plan.promotion, destinationRule: render(request.promotion) } } : {}),
  };
}

/** The VirtualServices and DestinationRules the mesh whose admin URL is `endpoint` serves. */
async function served(endpoint: string): Promise<ManifestSet> {
  const client = createAdminClient({ url: endpoint });
  try {
    const dump = await client.configDump();
    return { virtualServices: dump.virtualServices, destinationRules: dump.destinationRules, files: [] };
  } finally {
    await client.close();
  }
}

/** The manifests, or the usage error of an experiment that gives none to plan against. */
async function required(manifests: Promise<ManifestSet | undefined>, request: PlanRequest): Promise<ManifestSet> {
  const found = await manifests;
  if (found) return found;
  throw new UsageError(`plan needs the VirtualService, but provider ${request.provider} has no local manifests`, {
    hint: 'add spec.local.manifests with the VirtualService as it is in the cluster',
  });
}
