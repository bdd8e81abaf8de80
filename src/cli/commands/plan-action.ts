/**
 * What `mesh-exp plan` does once its arguments are parsed; imported only when the command runs,
 * because planning loads the spec checks, the renderers, the diff library and (for providers istio
 * and gateway-api) the Kubernetes client (see `plan.ts` for the definition and help).
 */
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';
import { loadManifests, type ManifestSet } from '../../istio/manifests.js';
import { createAdminClient } from '../../mesh/admin/admin-client.js';
import type { Experiment, LocalSpec } from '../../spec/schema.js';
import type { JsonPatchOp } from '../../kube/custom-objects.js';
import type { VirtualService } from '../../istio/types.js';
import { planSteps, type StepPlan } from '../../spec/step-plan.js';
import { loadExperimentFile, type LoadedExperiment } from '../../spec/validate.js';
import { formatDuration } from '../../input/units.js';
import { diffVirtualService } from '../../traffic/diff.js';
import { checkPlannedStates } from '../../traffic/preflight.js';
import { renderVirtualService } from '../../traffic/render.js';
import { findTargetRoute } from '../../traffic/target-route.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';
import { buildPlanView, type PlanView } from '../../runner/plan-view.js';
import type { TrafficState } from '../../traffic/types.js';
import { addIstioPatches, clusterManifests, httpRoutePlan } from './plan-cluster.js';

/** Options of the plan command. */
export interface PlanFlags {
  /** "text" or "json". @default "text" */
  output: 'text' | 'json';
  /** Kubeconfig file (providers istio and gateway-api). @default kubectl's lookup */
  kubeconfig?: string;
  /** Kubeconfig context (providers istio and gateway-api). @default current context */
  context?: string;
}

/** A JSON patch as the text view prints it: one op per line. */
function formatPatch(ctx: Context, ops: readonly JsonPatchOp[]): string {
  if (!ops.length) return '  (no patch)';
  return [paint(ctx, 'dim', '  PATCH application/json-patch+json'), ...ops.map((op) => `  ${JSON.stringify(op)}`)].join('\n');
}

/** Colours a unified diff line by line: additions green, removals red, hunk headers blue. */
function colourDiff(ctx: Context, diff: string): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint(ctx, 'bold', line);
      if (line.startsWith('+')) return paint(ctx, 'green', line);
      if (line.startsWith('-')) return paint(ctx, 'red', line);
      if (line.startsWith('@@')) return paint(ctx, 'blue', line);
      return line;
    })
    .join('\n');
}

function printText(ctx: Context, view: PlanView): void {
  const out = (s = '') => void ctx.stdout.write(`${s}\n`);
  out(`${paint(ctx, 'bold', `Plan for ${view.name}`)}: ${view.headline}`);
  out(`Target: ${view.target}`);
  for (const step of view.steps) {
    out();
    out(paint(ctx, 'bold', `Step ${step.index + 1}/${view.steps.length}: ${step.label}`) + ` (${formatDuration(step.durationMs)})`);
    out(step.diff ? colourDiff(ctx, step.diff.trimEnd()) : `  (no change to the ${view.kind})`);
    if (step.patch) out(formatPatch(ctx, step.patch));
  }
  out();
  if (view.promotion) {
    out(paint(ctx, 'bold', 'On success: promote') + ' (canary at 100%; fault, mirror and A/B routes removed)');
    out(colourDiff(ctx, view.promotion.diff.trimEnd()));
    if (view.promotion.patch) out(formatPatch(ctx, view.promotion.patch));
    out(`On rollback, error or interrupt: restore the ${view.kind} exactly as it is now.`);
  } else {
    out(`At the end (pass, rollback, error or interrupt): restore the ${view.kind} exactly as it is now.`);
  }
  if (view.restorePatch) out(formatPatch(ctx, view.restorePatch));
  out(paint(ctx, 'dim', 'Nothing was changed.'));
}

/** The objects to plan against: the manifests, or what the attached mesh serves (read only). */
async function manifestsOf(local: LocalSpec | undefined, dir: string): Promise<ManifestSet | undefined> {
  if (local?.manifests) return loadManifests(local.manifests, dir);
  if (local?.attach === undefined) return undefined;
  const client = createAdminClient({ url: local.attach });
  try {
    const dump = await client.configDump();
    return { virtualServices: dump.virtualServices, destinationRules: dump.destinationRules, files: [] };
  } finally {
    await client.close();
  }
}

/** Plans every step of the experiment and prints the view as text or JSON. */
export async function planAction(ctx: Context, result: CommandResult, file: string, flags: PlanFlags): Promise<void> {
  const loaded = await loadExperimentFile(file, { cwd: ctx.cwd });
  const { spec } = loaded.experiment;
  const plan = planSteps(loaded.experiment);
  const view = spec.target.provider === 'gateway-api' ? await httpRoutePlan(ctx, loaded.experiment, plan, flags) : await virtualServicePlan(ctx, loaded, plan, flags);
  if (flags.output === 'json') ctx.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  else printText(ctx, view);
  result.exitCode = ExitCode.OK;
}

/** The plan of the VirtualService providers: from the manifests, the attached mesh, or the cluster (istio, with patches). */
async function virtualServicePlan(ctx: Context, loaded: LoadedExperiment, plan: StepPlan, flags: PlanFlags): Promise<PlanView> {
  const { spec } = loaded.experiment;
  const { namespace, virtualService = '' } = spec.target;
  const istio = spec.target.provider === 'istio';
  const manifests = istio ? await clusterManifests(ctx, { ...spec.target, virtualService }, flags) : loaded.manifests ?? (await manifestsOf(spec.local, loaded.dir));
  if (!manifests) {
    throw new UsageError(`plan needs the VirtualService, but provider ${spec.target.provider} has no local manifests`, {
      hint: 'add spec.local.manifests with the VirtualService as it is in the cluster',
    });
  }
  const current: VirtualService | undefined = manifests.virtualServices.find(
    (vs) => vs.metadata.name === virtualService && (vs.metadata.namespace ?? 'default') === namespace,
  );
  if (!current) {
    throw new UsageError(`VirtualService ${namespace}/${virtualService} is not in the manifests`, {
      hint: `manifests define: ${manifests.virtualServices.map((vs) => `${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`).join(', ') || 'none'}`,
    });
  }
  const states = [...plan.steps.map((s) => s.state), ...(plan.promote ? [plan.promotionState] : [])];
  checkPlannedStates(current, spec.target, states, manifests.destinationRules);
  const route = findTargetRoute(current, spec.target);
  const render = (state: TrafficState) => renderVirtualService(current, spec.target, state);
  const view = buildPlanView(loaded.experiment, plan, current, route.route.name ? `"${route.route.name}"` : `#${route.index}`, render, (a, b, label) =>
    diffVirtualService(a, b, { afterLabel: label }),
  );
  if (istio) addIstioPatches(view, plan, current, spec.target);
  return view;
}
