/**
 * `mesh-exp schedule <file> --cron <expr>`: the Kubernetes objects that run an experiment or a game
 * day on a schedule inside the cluster (a CronJob, its ServiceAccount and least-privilege Role, a ConfigMap
 * of the run's files, a PVC for the reports), printed as YAML or applied with `--apply`.
 */
import { Command } from 'commander';
import type { Context } from '../../context.js';
import { VERSION } from '../../version.js';
import type { CommandResult } from '../command-result.js';
import type { ScheduleFlags } from './schedule-action.js';

/** The image `--image` defaults to: what deploy/Containerfile builds, tagged with this version. */
export const DEFAULT_IMAGE = `mesh-exp:${VERSION}`;

const HELP = `
Examples:
  $ mesh-exp schedule gameday.yaml --cron "0 3 * * 1"                    # a game day: print the objects (YAML)
  $ mesh-exp schedule canary.yaml --cron "0 3 * * 1" -n shop --image registry.example.com/mesh-exp:${VERSION} --apply
  $ mesh-exp schedule canary.yaml --cron "@daily" --time-zone Europe/Berlin --apply --dry-run
  $ mesh-exp schedule canary.yaml --cron "30 2 * * *" --reports-pvc game-day-reports > scheduled.yaml

The objects, all named after the file's metadata.name (--name to change it) in the namespace -n
(default: the experiment's target.namespace; a game day's first experiment's, its defaults filled in),
in the order they are applied:
  ServiceAccount     the run's identity; no token is mounted unless the run needs the API
  Role, RoleBinding  exactly the rules of the providers it uses (istio: get, list, patch
                     virtualservices and destinationrules; gateway-api: get, list, patch
                     httproutes and destinationrules; load.distributed: create, get, delete the load's ConfigMap and Job
                     or TestRun), in each namespace they act in (a game day: every experiment's,
                     unioned per namespace); none for provider local (the mesh runs inside the
                     pod) or spec.local.attach (a mesh's admin API)
  ConfigMap          the file and every file it reads (manifests, load.data, bodyFile, load.script;
                     a game day: its experiment files and every file of every experiment),
                     mounted at /mesh-exp/files with their relative layout (at most 1 MiB in all)
  PersistentVolumeClaim  <name>-reports (--reports-size), mounted at /mesh-exp/reports; the runs'
                     directories land there. --reports-pvc uses an existing claim instead; --no-pvc
                     uses an emptyDir and prints result.json to the pod's log (kubectl logs)
  CronJob            concurrencyPolicy Forbid, backoffLimit 0 (a failed run is read, not retried),
                     activeDeadlineSeconds from the planned duration (+20% and 10 min; a game day's
                     is the sum of its experiments', +1 min for each after the first), 60 s to
                     restore on SIGTERM; the container runs \`mesh-exp run files/<file> --no-progress\`

With spec.notify, the pod gets the webhook URLs from a Secret you create (--notify-secret, default
<name>-notify); mesh-exp never reads them, and the Role gets no access to Secrets (the kubelet
mounts them). urlFrom.env NAME: the container's env NAME from the Secret's key NAME. urlFrom.file:
a key named after the path (segments joined by "_", e.g. secrets/slack-url -> secrets_slack-url);
a relative path is projected into the files mount where it resolves, an absolute path is mounted
(subPath) at that path, refused under /mesh-exp, /tmp, /proc, /sys and /dev. schedule prints the
kubectl command that creates the Secret; --apply warns when it does not exist yet.
--apply applies them with server-side apply (field manager mesh-exp): a second --apply changes
nothing, a changed file updates the objects. --dry-run (with --apply) has the API server check them
and store nothing. The image is built from deploy/Containerfile (README, "Scheduled game days").
Exit codes: 0 printed or applied; 2 invalid file or flags (a bad --cron names its field; files over
1 MiB); 3 the API server refused or could not be reached (nothing after the refused object applied).
`;

/** Creates the `schedule` command. */
export function createScheduleCommand(ctx: Context, result: CommandResult): Command {
  return new Command('schedule')
    .description('run an experiment or game day on a schedule in the cluster: print (or --apply) its CronJob, RBAC, files and reports volume')
    .argument('<file>', 'experiment or game-day file (YAML)')
    .requiredOption('--cron <expression>', 'schedule: five fields (minute hour day-of-month month day-of-week) or @daily, @weekly, ...')
    .option('--time-zone <zone>', 'IANA time zone of the schedule, e.g. Europe/Berlin (default: the cluster\'s, usually UTC)')
    .option('-n, --namespace <namespace>', 'namespace of the CronJob, ServiceAccount, ConfigMap and PVC (default: the target\'s namespace)')
    .option('--name <name>', 'name of the objects, at most 52 characters (default: the file\'s metadata.name)')
    .option('--image <ref>', 'image with mesh-exp, built from deploy/Containerfile', DEFAULT_IMAGE)
    .option('--reports-pvc <claim>', 'write the reports to this existing PersistentVolumeClaim instead of creating one')
    .option('--reports-size <quantity>', 'size of the reports PersistentVolumeClaim it creates', '1Gi')
    .option('--no-pvc', 'no volume for the reports: an emptyDir, and result.json printed to the pod\'s log')
    .option('--notify-secret <name>', 'Secret (in -n) holding the webhook URLs spec.notify reads: urlFrom.env NAME from key NAME, urlFrom.file from a key named after the path (default: <name>-notify)')
    .option('--apply', 'apply the objects (server-side apply) instead of printing them')
    .option('--dry-run', 'with --apply: the API server checks the objects and stores nothing')
    .option('--kubeconfig <file>', 'kubeconfig for --apply (default: $KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--context <name>', 'kubeconfig context for --apply (default: its current context)')
    .addHelpText('after', HELP)
    .action(async (file: string, flags: ScheduleFlags) => {
      // Imported here so that `--help` and the other commands never load the experiment checks or the Kubernetes client.
      const { scheduleAction } = await import('./schedule-action.js');
      await scheduleAction(ctx, result, file, flags);
    });
}
