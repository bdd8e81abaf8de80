/**
 * A scheduled run, put together: its options checked, its providers' rules unioned per namespace,
 * its files laid out, and the objects built. What `mesh-exp schedule` prints or applies.
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DNS_LABEL, IMAGE_REFERENCE, QUANTITY } from '../experiment/load-distributed-schema.js';
import type { KubeObject } from '../kube/custom-objects.js';
import { createDefaultDistributedRegistry } from '../load/distributed/registry.js';
import { createDefaultTrafficRegistry } from '../traffic/registry.js';
import { checkCron, checkTimeZone } from './cron.js';
import { collectFiles } from './files.js';
import { buildScheduleObjects, deadlineSeconds, FILES_PATH, type ReportsVolume } from './objects.js';
import { type NotifySecret, notifySecretOf } from './notify-secret.js';
import { checkReachableFromPod, type RbacSources, roleRulesOf } from './rbac.js';
import { commandOf, filesOf, nameOf, notifyTargetsOf, plannedMsOf, podNotesOf, providersOf, type Runnable } from './runnable.js';

/** Longest CronJob name: the controller adds 11 characters to name each Job, which must stay a 63-character label. */
export const MAX_CRONJOB_NAME = 52;

/** What the user chose (flags), before they are checked. */
export interface ScheduleOptions {
  /** `--cron`. */
  cron: string;
  /** `--time-zone`. @default absent */
  timeZone?: string;
  /** `-n`. @default the first provider's target namespace */
  namespace?: string;
  /** `--name`. @default the runnable's name */
  name?: string;
  /** `--image`. */
  image: string;
  /** `--reports-pvc`, `--reports-size`, `--no-pvc`. */
  reports: ReportsVolume;
  /** `--notify-secret`: the Secret holding the notify targets' webhook URLs. @default "<name>-notify" */
  notifySecret?: string;
}

/** The objects, and what the user should know about them (printed on stderr). */
export interface Schedule {
  /** In apply order. */
  objects: KubeObject[];
  /** Notes, e.g. that a local-mesh run gets no Role. */
  notes: string[];
  /** The namespace of the CronJob. */
  namespace: string;
  /** The Secret the pod reads the notify targets' URLs from. @default absent (no notify target) */
  notifySecret?: NotifySecret;
}

/** Checks the flags that need no file (exit 2, each naming its flag): run first, before any file is read. */
export function checkScheduleFlags(o: ScheduleOptions): { cron: string; timeZone?: string } {
  const cron = checkCron(o.cron);
  const timeZone = o.timeZone === undefined ? undefined : checkTimeZone(o.timeZone);
  const label = (flag: string, value: string | undefined, max: number) => {
    if (value !== undefined && (value.length > max || !DNS_LABEL.test(value))) {
      throw new UsageError(`${flag} "${value}" is not a Kubernetes name: a-z, 0-9 and "-", starting and ending with a letter or digit, at most ${max} characters`, { hint: `e.g. ${flag} game-day` });
    }
  };
  label('-n', o.namespace, 63);
  label('--name', o.name, MAX_CRONJOB_NAME);
  if (o.reports.kind === 'existing') label('--reports-pvc', o.reports.claim, 253);
  label('--notify-secret', o.notifySecret, 253);
  if (o.image.length > 512 || !IMAGE_REFERENCE.test(o.image)) throw new UsageError(`--image "${o.image}" is not an image reference`, { hint: 'e.g. --image registry.example.com/tools/mesh-exp:0.1.0' });
  if (o.reports.kind === 'create' && !QUANTITY.test(o.reports.size)) throw new UsageError(`--reports-size "${o.reports.size}" is not a Kubernetes quantity`, { hint: 'e.g. --reports-size 1Gi' });
  return { cron, ...(timeZone !== undefined ? { timeZone } : {}) };
}

/** Builds the schedule of `r`. */
export async function buildSchedule(r: Runnable, o: ScheduleOptions, sources: RbacSources = defaultSources()): Promise<Schedule> {
  const { cron, timeZone } = checkScheduleFlags(o);
  const uses = providersOf(r);
  checkReachableFromPod(uses);
  const name = o.name ?? nameOf(r);
  if (name.length > MAX_CRONJOB_NAME) {
    throw new UsageError(`the objects would be named "${name}", ${name.length} characters: a CronJob's name is at most ${MAX_CRONJOB_NAME}`, { hint: 'give a shorter one with --name' });
  }
  const roles = roleRulesOf(uses, sources);
  const notify = notifyTargetsOf(r);
  // The mount stands for the URL files' directories too: a relative URL file resolves in the pod as here.
  const cover = notify.flatMap((n) => (n.urlFrom.file !== undefined && !path.isAbsolute(n.urlFrom.file) ? [path.dirname(path.resolve(n.dir, n.urlFrom.file))] : []));
  const files = await collectFiles(await filesOf(r), cover);
  const notifySecret = notifySecretOf(notify, files, o.notifySecret ?? `${name}-notify`);
  const notes: string[] = [];
  if (roles.size === 0) notes.push(`provider ${[...new Set(uses.map((u) => u.provider))].join(', ')} makes no Kubernetes request: no Role, and no token mounted in the pod`);
  notes.push(...podNotesOf(r));
  if (o.notifySecret !== undefined && !notifySecret) notes.push(`--notify-secret ${o.notifySecret}: the file has no spec.notify, so the pod reads no Secret`);
  const namespace = o.namespace ?? uses[0]!.namespace;
  const objects = buildScheduleObjects({
    name,
    namespace,
    cron,
    ...(timeZone !== undefined ? { timeZone } : {}),
    image: o.image,
    args: commandOf(`${FILES_PATH}/${files.entry}`, { json: o.reports.kind === 'none' }),
    files,
    roles,
    activeDeadlineSeconds: deadlineSeconds(plannedMsOf(r)),
    reports: o.reports,
    ...(notifySecret ? { notifySecret } : {}),
  });
  return { objects, notes, namespace, ...(notifySecret ? { notifySecret } : {}) };
}

function defaultSources(): RbacSources {
  return { traffic: createDefaultTrafficRegistry(), distributed: createDefaultDistributedRegistry() };
}
