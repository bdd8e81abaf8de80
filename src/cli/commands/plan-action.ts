/**
 * What `mesh-exp plan` does once its arguments are parsed; imported only when the command runs,
 * because planning loads the spec checks, the providers (whose `plan` reads the object: from the
 * manifests, a running mesh or a cluster) and the diff library (see `plan.ts` for the definition and help).
 */
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { loadManifests } from '../../istio/manifests.js';
import type { JsonPatchOp } from '../../kube/custom-objects.js';
import { buildPlanView, type PlanView } from '../../runner/plan-view.js';
import { planSteps } from '../../experiment/step-plan.js';
import { formatDuration } from '../../input/units.js';
import { loadExperimentFile } from '../../experiment/validate.js';
import { experimentInput } from '../experiment-input.js';
import { createDefaultTrafficRegistry, selectProvider } from '../../traffic/registry.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';
import { stringify } from 'yaml';

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

/** The DestinationRule part of a step (traffic.policy), after its routing object's diff. */
function printRuleDiff(ctx: Context, view: PlanView, diff: string | undefined): void {
  if (!view.destinationRule || diff === undefined) return;
  ctx.stdout.write(`${paint(ctx, 'dim', `  DestinationRule ${view.destinationRule.name}:`)}\n`);
  ctx.stdout.write(`${diff ? colourDiff(ctx, diff.trimEnd()) : '  (no change to the DestinationRule: the policy is removed)'}\n`);
}

function printText(ctx: Context, view: PlanView): void {
  const out = (s = '') => void ctx.stdout.write(`${s}\n`);
  out(`${paint(ctx, 'bold', `Plan for ${view.name}`)}: ${view.headline}`);
  out(`Target: ${view.target}`);
  out(`Analysis: ${view.analysis}`);
  for (const step of view.steps) {
    out();
    out(paint(ctx, 'bold', `Step ${step.index + 1}/${view.steps.length}: ${step.label}`) + ` (${formatDuration(step.durationMs)})`);
    out(step.diff ? colourDiff(ctx, step.diff.trimEnd()) : `  (no change to the ${view.kind})`);
    printRuleDiff(ctx, view, view.destinationRule?.steps[step.index]);
    if (step.patch) out(formatPatch(ctx, step.patch));
    if (step.policyPatch && view.policy) out(`  ${view.policy.rule}:\n${formatPatch(ctx, step.policyPatch)}`);
  }
  out();
  if (view.promotion) {
    out(paint(ctx, 'bold', 'On success: promote') + ' (canary at 100%; fault, mirror, A/B routes, retries and policy removed)');
    out(colourDiff(ctx, view.promotion.diff.trimEnd()));
    printRuleDiff(ctx, view, view.destinationRule?.promotion);
    if (view.promotion.patch) out(formatPatch(ctx, view.promotion.patch));
    if (view.promotion.policyPatch && view.policy) out(`  ${view.policy.rule}:\n${formatPatch(ctx, view.promotion.policyPatch)}`);
    out(`On rollback, error or interrupt: restore the ${view.kind} exactly as it is now.`);
  } else {
    out(`At the end (pass, rollback, error or interrupt): restore the ${view.kind} exactly as it is now.`);
  }
  if (view.destinationRule) out(`  and DestinationRule ${view.destinationRule.name} exactly as it is now (on promotion too: the policy is a test condition).`);
  if (view.restorePatch) out(formatPatch(ctx, view.restorePatch));
  if (view.policy) out(`  ${view.policy.rule} (its traffic.policy settings back as they are now):\n${formatPatch(ctx, view.policy.restorePatch)}`);
  if (view.distributed) {
    out();
    out(paint(ctx, 'bold', 'Distributed load') + ': each step creates these objects (step 1 shown; names end in the step number, "runid" is the run\'s id),');
    out('marked with the run\'s journal and deleted when the step\'s load ends, on promote, rollback, interrupt, or by `mesh-exp recover`:');
    out(view.distributed.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd()).join('\n---\n'));
  }
  out(paint(ctx, 'dim', 'Nothing was changed.'));
}

/** Plans every step of the experiment through its provider and prints the view as text or JSON. */
export async function planAction(ctx: Context, result: CommandResult, file: string, flags: PlanFlags): Promise<void> {
  const loaded = await loadExperimentFile(file, experimentInput(ctx));
  await ctx.failpoint('after-read');
  const { target, local } = loaded.experiment.spec;
  const plan = planSteps(loaded.experiment);
  const { entry } = selectProvider(createDefaultTrafficRegistry(), target.provider, local?.attach);
  const traffic = await entry.plan(
    { provider: target.provider, target, states: plan.steps.map((s) => s.state), ...(plan.promote ? { promotion: plan.promotionState } : {}) },
    {
      manifests: async () => loaded.manifests ?? (local?.manifests ? await loadManifests(local.manifests, loaded.dir) : undefined),
      endpoint: local?.attach,
      kube: { env: ctx.env, cwd: ctx.cwd, ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) },
      logger: ctx.logger,
    },
  );
  const view = buildPlanView(loaded.experiment, plan, traffic);
  if (flags.output === 'json') ctx.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  else printText(ctx, view);
  result.exitCode = ExitCode.OK;
}
