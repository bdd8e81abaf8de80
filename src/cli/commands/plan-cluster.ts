/**
 * `mesh-exp plan` against a live cluster (providers istio and gateway-api): reads the target
 * object (read only) and adds to the plan view the exact JSON patches the run would send.
 */
import type { Context } from '../../context.js';
import { createCustomObjects, type CustomObjects } from '../../kube/custom-objects.js';
import { loadKubeConfig } from '../../kube/kubeconfig.js';
import type { ManifestSet } from '../../istio/manifests.js';
import { buildPlanView, type PlanView } from '../../runner/plan-view.js';
import type { StepPlan } from '../../spec/step-plan.js';
import type { Experiment } from '../../spec/schema.js';
import { diffVirtualService } from '../../traffic/diff.js';
import { readHttpRoute } from '../../traffic/gateway-api/httproute-preflight.js';
import { findTargetRule, renderHttpRoute, ruleLabel, ruleRegionOf } from '../../traffic/gateway-api/rule-render.js';
import { readDestinationRules, readTarget } from '../../traffic/istio/istio-preflight.js';
import { regionOf } from '../../traffic/istio/route-patch.js';
import type { ItemRegion } from '../../traffic/kube-region-provider.js';
import { planPatches } from '../../traffic/plan-patches.js';
import { httpRouteTargetOf } from '../../traffic/target-object.js';
import type { TargetRef } from '../../traffic/target-route.js';
import type { TrafficState } from '../../traffic/types.js';

/** `--kubeconfig` and `--context`. */
export interface ClusterFlags {
  /** Kubeconfig file. @default kubectl's lookup */
  kubeconfig?: string;
  /** Kubeconfig context. @default current context */
  context?: string;
}

/** A read-only client of the cluster the flags name, logging which one. */
async function connect(ctx: Context, flags: ClusterFlags, what: string): Promise<CustomObjects> {
  const loaded = await loadKubeConfig({ env: ctx.env, cwd: ctx.cwd, ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) });
  ctx.logger.info(`plan: reading ${what} from ${loaded.server} (context ${loaded.context})`);
  return createCustomObjects(loaded.kubeConfig);
}

/** The target VirtualService and the namespace's DestinationRules, read from the cluster (provider istio). */
export async function clusterManifests(ctx: Context, target: Experiment['spec']['target'] & { virtualService: string }, flags: ClusterFlags): Promise<ManifestSet> {
  const { namespace, virtualService } = target;
  const objects = await connect(ctx, flags, `VirtualService ${namespace}/${virtualService}`);
  const vs = await readTarget(objects, namespace, virtualService);
  return { virtualServices: [vs], destinationRules: await readDestinationRules(objects, namespace), files: [] };
}

/** Sets each step's, the promotion's and the restore's JSON patch on `view`. */
export function addPatches<R>(view: PlanView, plan: StepPlan, regionFor: (state: TrafficState) => ItemRegion<R>, base: string): void {
  const patches = planPatches(regionFor, base, plan.steps.map((s) => s.state), plan.promote ? plan.promotionState : undefined);
  view.steps.forEach((s, i) => (s.patch = patches.steps[i]!));
  if (view.promotion && patches.promotion) view.promotion.patch = patches.promotion;
  view.restorePatch = patches.restore;
}

/** The istio provider's patches for the VirtualService `current`. */
export function addIstioPatches(view: PlanView, plan: StepPlan, current: Parameters<typeof regionOf>[0], target: TargetRef): void {
  addPatches(view, plan, (state) => regionOf(current, target, state), '/spec/http');
}

/** The whole plan of provider gateway-api: the HTTPRoute read from the cluster, a diff and a patch per step. */
export async function httpRoutePlan(ctx: Context, experiment: Experiment, plan: StepPlan, flags: ClusterFlags): Promise<PlanView> {
  const spec = experiment.spec.target;
  const target = httpRouteTargetOf({ ...spec, httpRoute: spec.httpRoute ?? '' });
  const objects = await connect(ctx, flags, `HTTPRoute ${target.namespace}/${target.httpRoute}`);
  const current = await readHttpRoute(objects, target.namespace, target.httpRoute);
  const found = findTargetRule(current, target);
  // Renders every step (and the promotion) before anything is printed, so what an HTTPRoute cannot express is refused first.
  const view = buildPlanView(experiment, plan, current, ruleLabel(found.rule, found.index), (state) => renderHttpRoute(current, target, state), (a, b, label) =>
    diffVirtualService(a, b, { afterLabel: label }),
  );
  addPatches(view, plan, (state) => ruleRegionOf(current, target, state), '/spec/rules');
  return view;
}
