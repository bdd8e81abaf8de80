/**
 * `mesh-exp validate <file...>`: checks experiment files (schema, rules, manifests) without
 * running anything, and reports every problem of every file — located, with hints. Invalid files
 * are a result here, not a failure: all files are reported, then the command exits 2.
 */
import { Command, Option } from 'commander';
import type { Context } from '../../context.js';
import { ExitCode, formatProblem, type Problem } from '../../errors.js';
import { checkExperimentFile } from '../../spec/validate.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';

const HELP = `
Examples:
  $ mesh-exp validate experiments/canary.yaml
  $ mesh-exp validate experiments/*.yaml
  $ mesh-exp validate canary.yaml --output json | jq '.[] | select(.ok | not)'

Each problem is printed as  file:line:col path: message  (with a hint below when one helps),
so editors and CI problem matchers can jump to it. With provider local, the Istio manifests in
spec.local.manifests are read and checked too.
Exit codes: 0 every file is valid; 2 at least one file has problems.
`;

/** Flags of the validate command. */
interface ValidateFlags {
  /** "text" or "json". @default "text" */
  output: 'text' | 'json';
}

/** One file's verdict, as printed by `--output json`. */
export interface ValidateReport {
  /** The file as given on the command line. */
  file: string;
  /** True when the file has no problem. */
  ok: boolean;
  /** Every problem found, in file order. */
  problems: Problem[];
}

/** A problem as {@link formatProblem} prints it, with the location in bold and "hint:" dimmed. */
function paintProblem(ctx: Context, p: Problem): string {
  const text = formatProblem(p);
  if (!ctx.color) return text;
  const where = [p.file, p.line, p.col].filter((x) => x !== undefined).join(':');
  const located = where && text.startsWith(where) ? paint(ctx, 'bold', where) + text.slice(where.length) : text;
  return located.replace('\n    hint:', `\n    ${paint(ctx, 'dim', 'hint:')}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printText(ctx: Context, reports: readonly ValidateReport[]): void {
  const out = (s: string) => void ctx.stdout.write(`${s}\n`);
  for (const r of reports) {
    if (r.ok) out(`${paint(ctx, 'green', 'OK')} ${r.file}`);
    else for (const p of r.problems) out(paintProblem(ctx, p));
  }
  const invalid = reports.filter((r) => !r.ok);
  if (invalid.length === 0) {
    out(paint(ctx, 'green', `${plural(reports.length, 'file')} valid`));
    return;
  }
  const problems = invalid.reduce((n, r) => n + r.problems.length, 0);
  out(paint(ctx, 'red', `${invalid.length} of ${plural(reports.length, 'file')} invalid (${plural(problems, 'problem')})`));
}

/** Creates the `validate` command. */
export function createValidateCommand(ctx: Context, result: CommandResult): Command {
  return new Command('validate')
    .description('check experiment files and their manifests without running anything')
    .argument('<file...>', 'experiment files (YAML)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP)
    .action(async (files: string[], flags: ValidateFlags) => {
      const reports: ValidateReport[] = [];
      // One at a time: the output order follows the command line, and files are small.
      for (const file of files) {
        const check = await checkExperimentFile(file, { cwd: ctx.cwd });
        reports.push({ file, ok: check.problems.length === 0, problems: check.problems });
      }
      if (flags.output === 'json') ctx.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      else printText(ctx, reports);
      result.exitCode = reports.every((r) => r.ok) ? ExitCode.OK : ExitCode.INVALID_INPUT;
    });
}
