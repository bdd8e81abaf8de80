/**
 * `mesh-exp export-k6 <file> [-o <path>]`: the experiment's load as a standalone k6 script —
 * the same request, rate and step boundaries, latency and failures tagged by serving version, the
 * SLOs as k6 thresholds. Nothing runs: the file is validated like `plan` does, then written.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { RuntimeError } from '../../errors.js';
import { generateK6Script } from '../../load/k6/script.js';
import { loadExperimentFile } from '../../spec/validate.js';
import type { CommandResult } from '../command-result.js';

const HELP = `
Examples:
  $ mesh-exp export-k6 experiments/canary.yaml > canary.k6.js
  $ mesh-exp export-k6 experiments/canary.yaml -o canary.k6.js
  $ MESH_EXP_TARGET=http://127.0.0.1:8080/ MESH_EXP_RATE=20 k6 run canary.k6.js

The script runs without mesh-exp: one constant-arrival-rate scenario (or, with several steps, one
ramping-arrival-rate run with the steps' boundaries), mesh_exp_latency and mesh_exp_failed tagged
{version: <version header>}, and the latency and error-rate SLOs as k6 thresholds (k6 exits 99
when one fails). MESH_EXP_TARGET, MESH_EXP_RATE and MESH_EXP_DURATION override the experiment.
Exit codes: 0 the script was written; 2 the experiment is invalid; 3 the output could not be written.
`;

/** Flags of the export-k6 command. */
interface ExportK6Flags {
  /** Where to write the script. @default stdout */
  output?: string;
}

/** Creates the `export-k6` command. */
export function createExportK6Command(ctx: Context, result: CommandResult): Command {
  return new Command('export-k6')
    .description("write the experiment's load as a standalone k6 script (runs nothing)")
    .argument('<file>', 'experiment file (YAML)')
    .option('-o, --output <path>', 'write the script to this file instead of stdout')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: ExportK6Flags) => {
      const loaded = await loadExperimentFile(file, { cwd: ctx.cwd });
      const script = generateK6Script(loaded.experiment);
      if (flags.output === undefined) {
        ctx.stdout.write(script);
      } else {
        const out = path.resolve(ctx.cwd, flags.output);
        await writeFile(out, script).catch((err: unknown) => {
          throw new RuntimeError(`cannot write ${flags.output}: ${(err as Error).message}`, {
            hint: 'check that the directory exists and is writable',
            cause: err,
          });
        });
        ctx.stderr.write(`wrote ${flags.output}\n`);
      }
      result.exitCode = 0;
    });
}
