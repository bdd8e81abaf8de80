/**
 * What `mesh-exp run <game day>` does (a file of kind GameDay): check the day and every
 * experiment in it as `run` checks one, run them in order (`gameday/run-gameday.ts`), print one
 * line per experiment and the day's verdict, and end with the day's exit code. Imported only when
 * `run` reads kind GameDay.
 */
import path from 'node:path';
import type { Context } from '../../context.js';
import { UsageError, type ExitCodeValue } from '../../errors.js';
import { loadGameDayFile } from '../../experiment/gameday-validate.js';
import { executeGameDay } from '../../gameday/run-gameday.js';
import { stableStringify } from '../../report/index.js';
import type { CommandResult } from '../command-result.js';
import { experimentInput } from '../experiment-input.js';
import { createProgressView } from '../progress/index.js';
import { paint } from '../style.js';

/** The flags of `run` a game day uses (run-action.ts's RunFlags, which hands them on). */
export interface GameDayRunFlags {
  /** The game day's directory. */
  reportDir?: string;
  /** "text" or "json". */
  output: 'text' | 'json';
  /** Live progress view, one per experiment. */
  progress: boolean;
  /** A/A mode: refused for a game day. */
  aa?: boolean;
  /** Kubeconfig file. */
  kubeconfig?: string;
  /** Kubeconfig context. */
  context?: string;
}

/** Runs the game day in `file`, prints its verdict (or its result.json) and sets its exit code. */
export async function gameDayRunAction(ctx: Context, result: CommandResult, file: string, flags: GameDayRunFlags): Promise<void> {
  if (flags.aa) {
    throw new UsageError(`${file} is a game day: --aa (A/A mode) runs one experiment file`, { hint: `run the experiment itself with --aa, e.g. mesh-exp run experiments/canary.yaml --aa` });
  }
  const loaded = await loadGameDayFile(file, experimentInput(ctx, true));
  await ctx.failpoint('after-read');
  const out = await executeGameDay(loaded, ctx, {
    ...(flags.reportDir !== undefined ? { reportDir: flags.reportDir } : {}),
    ...(flags.progress ? { progress: () => createProgressView(ctx) } : {}),
    kube: { ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) },
  });
  const day = out.result;
  const shown = path.relative(ctx.cwd, out.dir) || '.';
  if (flags.output === 'json') {
    ctx.stdout.write(stableStringify(day));
    ctx.stderr.write(`game day directory: ${shown}\n`);
  } else {
    for (const e of day.experiments) {
      const colour = e.status === 'passed' ? 'green' : e.status === 'skipped' || e.status === 'not-run' ? 'yellow' : 'red';
      ctx.stdout.write(`  ${e.index + 1}. ${paint(ctx, colour, e.status.toUpperCase())} ${e.name}: ${e.summary}\n`);
    }
    ctx.stdout.write(`${paint(ctx, day.verdict === 'pass' ? 'green' : 'red', paint(ctx, 'bold', `GAME DAY ${day.verdict === 'pass' ? 'PASSED' : 'FAILED'}`))} ${day.summary}\n`);
    ctx.stdout.write(`report: ${path.relative(ctx.cwd, path.join(out.dir, 'index.html'))}\n`);
  }
  for (const e of day.experiments.filter((x) => x.restored === false && x.runDir !== undefined)) {
    const runDir = path.relative(ctx.cwd, path.join(out.dir, e.runDir!));
    ctx.stderr.write(`RESTORE FAILED for ${e.name}: the original is the "snapshot" line of ${path.join(runDir, 'journal.jsonl')}; run \`mesh-exp recover ${runDir}\` once the target is reachable\n`);
  }
  // judgeGameDay picks it from the exit-code table; result.json only types it as a number.
  result.exitCode = day.exitCode as ExitCodeValue;
}
