/**
 * `mesh-exp export-k6 <file> [-o <path>]`: the experiment's load as a standalone k6 script —
 * the same requests and data rows, rate or stages and step boundaries, latency and failures tagged
 * by serving version (and request name), the
 * SLOs as k6 thresholds. Nothing runs: the file is validated like `plan` does, then written.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import type { CommandResult } from '../command-result.js';
import type { ExportK6Flags } from './export-k6-action.js';

const HELP = `
Examples:
  $ mesh-exp export-k6 experiments/canary.yaml > canary.k6.js
  $ mesh-exp export-k6 experiments/canary.yaml -o canary.k6.js
  $ MESH_EXP_TARGET=http://127.0.0.1:8080/ MESH_EXP_RATE=20 k6 run canary.k6.js

The script runs without mesh-exp: one constant-arrival-rate scenario (or, with several steps or
load.stages, one ramping-arrival-rate run with the steps' boundaries, the stages restarting in
each step), the load's requests chosen by weight (seeded by load.seed, per iteration number) and
filled from its data rows (embedded), mesh_exp_latency and mesh_exp_failed tagged
{version: <version header>} (and {request: <name>} for named requests or data), and the latency
and error-rate SLOs as k6 thresholds (k6 exits 99 when one fails). MESH_EXP_TARGET,
MESH_EXP_RATE (with stages: the peak rate, every stage scaled alike), MESH_EXP_DURATION (one load
window) and MESH_EXP_ITERATION_OFFSET override the experiment.
Exit codes: 0 the script was written; 2 the experiment is invalid; 3 the output could not be written.
`;

/** Creates the `export-k6` command. */
export function createExportK6Command(ctx: Context, result: CommandResult): Command {
  return new Command('export-k6')
    .description("write the experiment's load as a standalone k6 script (runs nothing)")
    .argument('<file>', 'experiment file (YAML)')
    .option('-o, --output <path>', 'write the script to this file instead of stdout')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: ExportK6Flags) => {
      // Imported here so that `--help` and the other commands never load the spec checks and k6 writer.
      const { exportK6Action } = await import('./export-k6-action.js');
      await exportK6Action(ctx, result, file, flags);
    });
}
