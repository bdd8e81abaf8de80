/**
 * What `mesh-exp export-k6` does once its arguments are parsed; imported only when the command
 * runs (see `export-k6.ts` for the definition and help).
 */
import path from 'node:path';
import { writeFileAtomic } from '../../atomic-write.js';
import type { Context } from '../../context.js';
import { ExitCode, RuntimeError } from '../../errors.js';
import { generateK6Script } from '../../load/k6/script.js';
import { loadExperimentFile } from '../../experiment/validate.js';
import { experimentInput } from '../experiment-input.js';
import type { CommandResult } from '../command-result.js';

/** Flags of the export-k6 command. */
export interface ExportK6Flags {
  /** Where to write the script. @default stdout */
  output?: string;
}

/** Validates the experiment like `plan` does, then writes its k6 script to stdout or `--output`. */
export async function exportK6Action(ctx: Context, result: CommandResult, file: string, flags: ExportK6Flags): Promise<void> {
  const loaded = await loadExperimentFile(file, experimentInput(ctx));
  const script = generateK6Script(loaded.experiment, loaded.scenario ? { scenario: loaded.scenario } : {});
  if (flags.output === undefined) {
    ctx.stdout.write(script);
  } else {
    const out = path.resolve(ctx.cwd, flags.output);
    await writeFileAtomic(out, script).catch((err: unknown) => {
      throw new RuntimeError(`cannot write ${flags.output}: ${(err as Error).message}`, {
        hint: 'check that the directory exists and is writable',
        cause: err,
      });
    });
    ctx.stderr.write(`wrote ${flags.output}\n`);
  }
  result.exitCode = ExitCode.OK;
}
