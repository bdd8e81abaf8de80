/**
 * What `mesh-exp validate` does once its arguments are parsed; imported only when the command runs,
 * because the spec checks pull in zod and yaml (see `validate.ts` for the definition and help).
 */
import type { Context } from '../../context.js';
import { ExitCode, formatProblem, problemCount, type Problem } from '../../errors.js';
import { checkExperimentFile } from '../../experiment/validate.js';
import { readFileKind } from '../../experiment/file-kind.js';
import { checkGameDayFile } from '../../experiment/gameday-validate.js';
import { engineCheck, experimentInput } from '../experiment-input.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';

/** Flags of the validate command. */
export interface ValidateFlags {
  /** "text" or "json". @default "text" */
  output: 'text' | 'json';
  /** Run the load engine's preflight too (`--no-engine-check`: false). @default true */
  engineCheck: boolean;
  /** Read the webhook URLs of spec.notify as run does (`--no-secret-check`: false). @default true */
  secretCheck: boolean;
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
  const problems = invalid.reduce((n, r) => n + problemCount(r.problems), 0);
  out(paint(ctx, 'red', `${invalid.length} of ${plural(reports.length, 'file')} invalid (${plural(problems, 'problem')})`));
}

/** Checks every file (with the same checks `run` applies) and prints one verdict per file. */
export async function validateAction(ctx: Context, result: CommandResult, files: string[], flags: ValidateFlags): Promise<void> {
  const reports: ValidateReport[] = [];
  // One at a time: the output order follows the command line, and files are small.
  for (const file of files) {
    const options = { ...experimentInput(ctx, flags.secretCheck), ...(flags.engineCheck ? { engineCheck: engineCheck(ctx) } : {}) };
    const kind = await readFileKind(file, ctx.cwd);
    // A game day is checked with every experiment it names or holds, as `run` would check it.
    const check = kind.problem ? { problems: [kind.problem] } : kind.kind === 'GameDay' ? await checkGameDayFile(file, options) : await checkExperimentFile(file, options);
    await ctx.failpoint('after-read');
    reports.push({ file, ok: check.problems.length === 0, problems: check.problems });
  }
  if (flags.output === 'json') ctx.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else printText(ctx, reports);
  result.exitCode = reports.every((r) => r.ok) ? ExitCode.OK : ExitCode.INVALID_INPUT;
}
