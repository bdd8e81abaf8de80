/**
 * What `mesh-exp run` does once its arguments are parsed; imported only when the command runs,
 * because the runner pulls in the mesh, the load generator, the providers and the reporters (see
 * `run.ts` for the definition and help).
 */
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Context } from '../../context.js';
import { RestoreError, ValidationError, type ExitCodeValue } from '../../errors.js';
import { readFileKind } from '../../experiment/file-kind.js';
import { stableStringify } from '../../report/index.js';
import { executeRun } from '../../runner/runner.js';
import type { ProgressSink } from '../../model/progress.js';
import { loadExperimentFile } from '../../experiment/validate.js';
import { experimentInput } from '../experiment-input.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';
import { createProgressView } from '../progress/index.js';

/** Flags of the run command. */
export interface RunFlags {
  /** Run directory. */
  reportDir?: string;
  /** "text" or "json". @default "text" */
  output: 'text' | 'json';
  /** Live progress view. @default true */
  progress: boolean;
  /** A/A mode. @default false */
  aa?: boolean;
  /** Windows of an A/A run. @default 10 */
  windows: number;
  /** Seed of the A/A split. @default random */
  seed?: number;
  /** Kubeconfig file (providers istio and gateway-api). @default kubectl's lookup */
  kubeconfig?: string;
  /** Kubeconfig context (providers istio and gateway-api). @default its current context */
  context?: string;
}

/** Runs the experiment, prints the verdict (or result.json) and sets the run's exit code. */
export async function runAction(ctx: Context, result: CommandResult, file: string, flags: RunFlags): Promise<void> {
  const kind = await readFileKind(file, ctx.cwd);
  if (kind.problem) throw new ValidationError([kind.problem]);
  if (kind.kind === 'GameDay') {
    const { gameDayRunAction } = await import('./gameday-run-action.js');
    return gameDayRunAction(ctx, result, file, flags);
  }
  const loaded = await loadExperimentFile(file, experimentInput(ctx, true));
  await ctx.failpoint('after-read');
  const progress: ProgressSink | undefined = flags.progress ? createProgressView(ctx) : undefined;
  const aa = flags.aa ? { windows: flags.windows, seed: flags.seed ?? randomSeed() } : undefined;
  const out = await executeRun(loaded, ctx, {
    ...(flags.reportDir !== undefined ? { reportDir: flags.reportDir } : {}),
    ...(aa ? { aa } : {}),
    ...(progress ? { progress } : {}),
    kube: { ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) },
  });
  const { result: run } = out;
  const shown = path.relative(ctx.cwd, out.runDir) || '.';
  const report = out.reportFiles.find((f) => f.endsWith('.html'));
  if (flags.output === 'json') {
    ctx.stdout.write(stableStringify(run));
    ctx.stderr.write(`run directory: ${shown}\n`);
  } else {
    const colour = run.exitCode === 0 ? 'green' : 'red';
    ctx.stdout.write(`${paint(ctx, colour, paint(ctx, 'bold', run.outcome.toUpperCase()))} ${run.summary}\n`);
    ctx.stdout.write(`report: ${report ? path.relative(ctx.cwd, report) : shown}\n`);
  }
  // The runner sets it from exitCodeFor (a table value); result.json only types it as a number.
  result.exitCode = run.exitCode as ExitCodeValue;
  if (!run.restored) {
    throw new RestoreError(run.error ?? 'the mesh could not be restored', {
      hint: `the original VirtualService is the "snapshot" line of ${path.relative(ctx.cwd, out.journalPath)}; run \`mesh-exp recover ${path.relative(ctx.cwd, out.runDir) || '.'}\` once the target is reachable, or apply it by hand`,
    });
  }
}

/** A seed for the A/A split when none is given (recorded in result.json to repeat the run). */
function randomSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}
