/**
 * `mesh-exp plan <file>`: what a run would do, step by step, as diffs of the VirtualService (or HTTPRoute) —
 * without starting a mesh or changing anything (like `terraform plan`).
 */
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { PlanFlags } from './plan-action.js';

const HELP = `
Examples:
  $ mesh-exp plan experiments/canary.yaml
  $ mesh-exp plan experiments/fault-abort.yaml --output json | jq '.steps[0].diff'
  $ mesh-exp plan istio-canary.yaml --kubeconfig ~/.kube/config --context prod

Nothing is changed and no mesh is started: the VirtualService is read from spec.local.manifests
(with spec.local.attach: from the running mesh, read only; with target.provider istio or
gateway-api: the VirtualService or HTTPRoute from the cluster, read only — and each step shows the
exact JSON patch the run would send).
Exit codes: 0 the plan is valid; 2 the experiment or manifests are invalid.
`;

/** Creates the `plan` command. */
export function createPlanCommand(ctx: Context, result: CommandResult): Command {
  return new Command('plan')
    .description('show what each step of an experiment would change in the VirtualService or HTTPRoute (changes nothing)')
    .argument('<file>', 'experiment file (YAML)')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--kubeconfig <file>', 'kubeconfig for providers istio and gateway-api (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context for providers istio and gateway-api (default: its current context)')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: PlanFlags) => {
      // Imported here so that `--help` and the other commands never load the planner.
      const { planAction } = await import('./plan-action.js');
      await planAction(ctx, result, file, flags);
    });
}
