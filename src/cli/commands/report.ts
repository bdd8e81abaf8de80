/**
 * `mesh-exp report <run-dir> [--compare <run-dir>] [--out <dir>]`: renders a run's reports again
 * from its saved result.json (after an upgrade, or to compare game days), optionally with a
 * previous run's figures side by side. Nothing runs and the mesh is not touched.
 */
import path from 'node:path';
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { MeshExpError, RuntimeError } from '../../errors.js';
import { readSavedRun, writeReports } from '../../report/index.js';
import type { CommandResult } from '../command-result.js';

const HELP = `
Examples:
  $ mesh-exp report reports/reviews-canary-20250514-093000
  $ mesh-exp report reports/reviews-canary-20250521-093000 --compare reports/reviews-canary-20250514-093000
  $ mesh-exp report reports/reviews-canary-20250514-093000/result.json --out /tmp/review

Reads <run-dir>/result.json (checked against schema/result.schema.json) and writes report.html,
result.json, summary.md and junit.xml into the run directory, or into --out. With --compare, the
HTML and Markdown reports show every SLO check and each step's per-version p50, p99 and error
rate of this run beside the previous run's (steps are matched by number, checks by name).

Exit codes:
  0    the reports were written (whatever the run's own outcome was)
  2    no such run directory, or its result.json is not valid (each problem is named with its
       file, line and field)
  3    a report could not be written
`;

/** Flags of the report command. */
interface ReportFlags {
  /** Run directory (or result.json) of the previous run to compare with. @default none */
  compare?: string;
  /** Where to write the reports. @default the run directory */
  out?: string;
}

/** Creates the `report` command. */
export function createReportCommand(ctx: Context, result: CommandResult): Command {
  return new Command('report')
    .description("render a run's reports again from its result.json, optionally beside a previous run")
    .argument('<run-dir>', 'run directory written by `mesh-exp run` (or its result.json)')
    .option('--compare <run-dir>', "show this previous run's figures side by side")
    .option('--out <dir>', 'write the reports here instead of into the run directory')
    .addHelpText('after', HELP)
    .action(async (runDir: string, flags: ReportFlags) => {
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
      result.exitCode = 0;
    });
}
