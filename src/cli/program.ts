/**
 * Builds the commander program and runs it in-process: `runCli(argv, ctx)` is what `main()` and
 * the tests call. Each command lives in `commands/<name>.ts` and exports `create<Name>Command`.
 */
import { Command, CommanderError } from 'commander';
import type { Context } from '../context.js';
import { ExitCode, exitCodeOf, exitCodesHelp } from '../errors.js';
import { VERSION } from '../version.js';
import type { CommandResult } from './command-result.js';
import { createExportK6Command } from './commands/export-k6.js';
import { createHistoryCommand } from './commands/history.js';
import { createMeshCommand } from './commands/mesh.js';
import { createPlanCommand } from './commands/plan.js';
import { createReportCommand } from './commands/report.js';
import { createRecoverCommand } from './commands/recover.js';
import { createRunCommand } from './commands/run.js';
import { createScheduleCommand } from './commands/schedule.js';
import { createValidateCommand } from './commands/validate.js';
import { printError } from './print-error.js';

// Generated from the one exit-code table, so help cannot drift from what the CLI returns.
const EXIT_CODES_HELP = `
Exit codes:
${exitCodesHelp()}

Environment:
  NO_COLOR             disables colour
  MESH_EXP_FAILPOINT   testing only: crash at a named point, e.g. before-apply:2 (see the README)
  MESH_EXP_IN_CLUSTER_ROOT  testing only: look for the pod's service-account files under this directory
`;

/** Creates the program with every command, writing to the context's streams. */
export function createProgram(ctx: Context, result: CommandResult): Command {
  const program = new Command('mesh-exp')
    .description('Chaos and canary experiments on Istio service meshes.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('-v, --verbose', 'print debug detail')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    });
  for (const create of [createValidateCommand, createPlanCommand, createExportK6Command, createRunCommand, createReportCommand, createHistoryCommand, createRecoverCommand, createScheduleCommand, createMeshCommand]) {
    program.addCommand(create(ctx, result).exitOverride().configureOutput({
      writeOut: (s) => void ctx.stdout.write(s),
      writeErr: (s) => void ctx.stderr.write(s),
    }));
  }
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never throws. */
export async function runCli(argv: string[], ctx: Context): Promise<number> {
  const result: CommandResult = { exitCode: ExitCode.OK };
  const program = createProgram(ctx, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0; usage mistakes are exit 2.
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.INVALID_INPUT;
    }
    printError(ctx, err);
    return exitCodeOf(err);
  }
}
