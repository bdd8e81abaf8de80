/**
 * What `mesh-exp schedule` does once its arguments are parsed; imported only when the command runs,
 * because it reads the experiment or game day (the spec checks), lays out its files and, with --apply, loads the
 * Kubernetes client (see `schedule.ts` for the definition and help).
 */
import { stringify } from 'yaml';
import type { Context } from '../../context.js';
import { ExitCode, UsageError, ValidationError } from '../../errors.js';
import { readFileKind } from '../../experiment/file-kind.js';
import { loadGameDayFile } from '../../experiment/gameday-validate.js';
import { loadExperimentFile } from '../../experiment/validate.js';
import { applyObjects } from '../../kube/apply-objects.js';
import { loadKubeConfig } from '../../kube/kubeconfig.js';
import { secretPresence } from '../../kube/secret-presence.js';
import { notifySecretLine } from '../../schedule/notify-secret.js';
import type { ReportsVolume } from '../../schedule/objects.js';
import type { Runnable } from '../../schedule/runnable.js';
import { checkCron } from '../../schedule/cron.js';
import { buildSchedule, checkScheduleFlags, type ScheduleOptions } from '../../schedule/schedule.js';
import type { CommandResult } from '../command-result.js';
import { experimentInput } from '../experiment-input.js';

/** Flags of the schedule command. */
export interface ScheduleFlags {
  /** The CronJob's schedule. */
  cron: string;
  /** IANA time zone. @default the cluster's */
  timeZone?: string;
  /** Namespace of the objects. @default the target's */
  namespace?: string;
  /** Name of the objects. @default metadata.name */
  name?: string;
  /** Image with mesh-exp. @default DEFAULT_IMAGE */
  image: string;
  /** An existing claim for the reports. @default one is created */
  reportsPvc?: string;
  /** Size of the claim created. @default "1Gi" */
  reportsSize: string;
  /** False with --no-pvc. @default true */
  pvc: boolean;
  /** The Secret holding the notify targets' webhook URLs. @default "<name>-notify" */
  notifySecret?: string;
  /** Apply instead of printing. @default false */
  apply?: boolean;
  /** With --apply: server-side dry run. @default false */
  dryRun?: boolean;
  /** Kubeconfig for --apply. @default kubectl's lookup */
  kubeconfig?: string;
  /** Kubeconfig context for --apply. @default its current context */
  context?: string;
}

function reportsOf(flags: ScheduleFlags): ReportsVolume {
  if (!flags.pvc && flags.reportsPvc !== undefined) throw new UsageError('--no-pvc and --reports-pvc contradict each other', { hint: 'give one: --reports-pvc to keep the reports on an existing claim, --no-pvc to keep them only in the pod\'s log' });
  if (!flags.pvc) return { kind: 'none' };
  return flags.reportsPvc !== undefined ? { kind: 'existing', claim: flags.reportsPvc } : { kind: 'create', size: flags.reportsSize };
}

/** Reads the file to schedule, an Experiment or a GameDay (told apart by its kind line, as `run` does). */
async function loadRunnable(ctx: Context, file: string): Promise<Runnable> {
  const kind = await readFileKind(file, ctx.cwd);
  if (kind.problem) throw new ValidationError([kind.problem]);
  if (kind.kind === 'GameDay') return { kind: 'GameDay', loaded: await loadGameDayFile(file, experimentInput(ctx)) };
  return { kind: 'Experiment', loaded: await loadExperimentFile(file, experimentInput(ctx)) };
}

/** Builds the scheduled run's objects and prints them as YAML, or applies them. */
export async function scheduleAction(ctx: Context, result: CommandResult, file: string, flags: ScheduleFlags): Promise<void> {
  // --cron first, before the other flags and any file: its refusal names the field.
  checkCron(flags.cron);
  if (flags.dryRun && !flags.apply) throw new UsageError('--dry-run goes with --apply (without --apply nothing is sent anyway)', { hint: 'add --apply to have the API server check the objects' });
  const options: ScheduleOptions = {
    cron: flags.cron,
    image: flags.image,
    reports: reportsOf(flags),
    ...(flags.timeZone !== undefined ? { timeZone: flags.timeZone } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.notifySecret !== undefined ? { notifySecret: flags.notifySecret } : {}),
  };
  // The flags before the file: a bad flag is refused before any file is read.
  checkScheduleFlags(options);
  // loadRunnable reads no secret: schedule runs where the webhook URLs may not be (they are the pod's).
  const { objects, notes, namespace, notifySecret } = await buildSchedule(await loadRunnable(ctx, file), options);
  for (const note of notes) ctx.logger.info(`note: ${note}`);
  if (notifySecret) ctx.logger.info(`note: ${notifySecretLine(notifySecret, namespace)}`);
  if (!flags.apply) {
    ctx.stdout.write(objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
    result.exitCode = ExitCode.OK;
    return;
  }
  const kube = await loadKubeConfig({ env: ctx.env, cwd: ctx.cwd, ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}), ...(flags.context !== undefined ? { context: flags.context } : {}) });
  const applied = await applyObjects(kube.kubeConfig, objects, { dryRun: flags.dryRun === true });
  const suffix = flags.dryRun ? ' (server dry run)' : '';
  for (const a of applied) ctx.stdout.write(`${a.kind.toLowerCase()}/${a.name} in ${a.namespace}: ${a.outcome}${suffix}\n`);
  if (notifySecret) {
    // A warning, not a failure: the Secret may well be created after the CronJob, before its first run.
    const presence = await secretPresence(kube.kubeConfig, namespace, notifySecret.name);
    if (presence === 'absent') ctx.logger.warn(`Secret ${namespace}/${notifySecret.name} does not exist yet: the scheduled runs will not start until it does (create it as the note above says)`);
    if (presence === 'unknown') ctx.logger.info(`note: could not check that Secret ${namespace}/${notifySecret.name} exists (no right to get it here)`);
  }
  result.exitCode = ExitCode.OK;
}
