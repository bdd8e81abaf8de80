/**
 * What `mesh-exp report` does once its arguments are parsed; imported only when the command runs,
 * because the reporters (HTML, JUnit XML) are heavy to load (see `report.ts`).
 */
import path from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode, MeshExpError, RuntimeError } from '../../errors.js';
import { readSavedRun, writeReports } from '../../report/index.js';
import type { CommandResult } from '../command-result.js';

/** Flags of the report command. */
export interface ReportFlags {
  /** Run directory (or result.json) of the previous run to compare with. @default none */
  compare?: string;
  /** Where to write the reports. @default the run directory */
  out?: string;
}

/** Renders the run's reports again (beside `--compare`'s figures) and prints the files written. */
export async function reportAction(ctx: Context, result: CommandResult, runDir: string, flags: ReportFlags): Promise<void> {
  const saved = await readSavedRun(runDir, ctx.cwd);
  const previous = flags.compare === undefined ? undefined : await readSavedRun(flags.compare, ctx.cwd);
  const out = flags.out === undefined ? saved.dir : path.resolve(ctx.cwd, flags.out);
  const files = await writeReports(saved.result, out, undefined, previous ? { previous: previous.result } : {}).catch((err: unknown) => {
    if (err instanceof MeshExpError) throw err;
    throw new RuntimeError(`cannot write the reports to ${path.relative(ctx.cwd, out) || '.'}: ${(err as Error).message}`, {
      hint: 'check that the directory is writable (or pick another with --out)',
      cause: err,
    });
  });
  const shown = (f: string) => path.relative(ctx.cwd, f) || f;
  ctx.stdout.write(`${saved.result.summary}\n`);
  if (previous) ctx.stdout.write(`compared with ${shown(previous.file)}: ${previous.result.summary}\n`);
  for (const f of files) ctx.stdout.write(`wrote ${shown(f)}\n`);
  result.exitCode = ExitCode.OK;
}
