/**
 * What `mesh-exp recover` does once its arguments are parsed; imported only when the command runs,
 * because recovery reaches the providers (and through them the Kubernetes client; see `recover.ts`).
 */
import path from 'node:path';
import type { Context } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { recoverRun } from '../../runner/recover.js';
import { pickRecoverable } from '../../gameday/find-recoverable.js';
import { isGameDayDir, recoverGameDay } from '../../gameday/recover-gameday.js';
import { shownDir } from '../../runner/refusal.js';
import type { CommandResult } from '../command-result.js';
import { paint } from '../style.js';

/** Flags of the recover command. */
export interface RecoverFlags {
  /** Where run directories are looked for. @default "reports" */
  reportDir?: string;
  /** Kubeconfig file (providers istio and gateway-api). @default kubectl's lookup */
  kubeconfig?: string;
  /** Kubeconfig context (providers istio and gateway-api). @default its current context */
  context?: string;
}

/**
 * Recovers the named run or game day, or the newest unrecovered one under --report-dir (a killed
 * game day counts as a killed run does), and prints what was done.
 */
export async function recoverAction(ctx: Context, result: CommandResult, runDir: string | undefined, flags: RecoverFlags): Promise<void> {
  // A signal stops a recover at once: it is idempotent and safe to kill anywhere (a new one finishes it).
  ctx.phase = 'recovering';
  const kube = { ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) };
  const picked = runDir === undefined ? await pickRecoverable(ctx, flags.reportDir) : undefined;
  const dayDir = picked?.kind === 'game-day' ? picked.dir : runDir !== undefined && (await isGameDayDir(runDir, ctx.cwd)) ? runDir : undefined;
  if (dayDir !== undefined) {
    const day = await recoverGameDay(ctx, dayDir, { kube });
    ctx.stdout.write(`${day.status === 'recovered' ? `${paint(ctx, 'green', paint(ctx, 'bold', 'RECOVERED'))} ` : ''}${day.message}\n`);
    if (day.reportFiles?.length) ctx.stdout.write(`${paint(ctx, 'yellow', paint(ctx, 'bold', 'PARTIAL REPORT'))} of the game day: ${shownDir(path.join(day.dir, 'index.html'), ctx.cwd)}\n`);
    result.exitCode = ExitCode.OK;
    return;
  }
  // A run found under --report-dir is recovered by name (with its game day, when it is one's);
  // with none found, recoverRun says there is nothing to recover.
  const named = picked?.kind === 'run' ? picked.dir : runDir;
  const out = await recoverRun(ctx, {
    kube,
    ...(named !== undefined ? { runDir: named } : {}),
    ...(picked?.kind === 'run' && picked.gameDay ? { gameDay: picked.gameDay } : {}),
    ...(flags.reportDir !== undefined ? { reportDir: flags.reportDir } : {}),
  });
  const label = { restored: 'RESTORED', released: 'RELEASED', 'in-process': 'RECOVERED', recovered: 'RECOVERED', 'nothing-to-recover': '' }[out.status];
  ctx.stdout.write(`${label ? `${paint(ctx, 'green', paint(ctx, 'bold', label))} ` : ''}${out.message}\n`);
  for (const child of out.children ?? []) ctx.stdout.write(`  ${child.message}\n`);
  for (const o of out.clusterObjects ?? []) ctx.stdout.write(`  load object ${o.object}: ${{ deleted: 'deleted', gone: 'already gone', foreign: 'not this run\'s, left alone' }[o.status]}\n`);
  const report = out.report;
  if (report?.status === 'written') {
    // The banner: a partial report must never pass for the report of a whole run.
    const where = out.runDir ? shownDir(path.join(out.runDir, 'report.html'), ctx.cwd) : 'report.html';
    ctx.stdout.write(`${paint(ctx, 'yellow', paint(ctx, 'bold', 'PARTIAL REPORT'))} of ${report.steps} of ${report.plannedSteps} steps: ${where} (${report.files.map((f) => path.basename(f)).join(', ')}): ${report.reason}\n`);
  } else if (report?.status === 'no-steps') {
    ctx.stdout.write(`no report: ${report.reason}\n`);
  }
  result.exitCode = ExitCode.OK;
}
