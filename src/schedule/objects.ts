/**
 * The objects of a scheduled run, in the order they are applied: the ServiceAccount, a Role and
 * RoleBinding per namespace the run needs rules in (none when it needs none), the ConfigMap of its
 * files, the PersistentVolumeClaim of its reports (unless reused or left out) and the CronJob.
 * Pure: the same input gives the same objects, so applying them again changes nothing.
 */
import type { KubeObject } from '../kube/custom-objects.js';
import type { PolicyRule } from '../kube/policy-rules.js';
import { configMapData, type ScheduledFiles } from './files.js';
import type { NotifySecret } from './notify-secret.js';

/** The pod's working directory: the files and the reports are under it, so relative paths work. */
export const WORK_DIR = '/mesh-exp';
/** Where the ConfigMap's files are mounted, relative to {@link WORK_DIR} (the container's arguments name the file by it). */
export const FILES_PATH = 'files';
/** Where the ConfigMap's files are mounted. */
export const FILES_DIR = `${WORK_DIR}/${FILES_PATH}`;
/** Where the reports go: `mesh-exp run` writes reports/<name>-<timestamp>/ under its working directory. */
export const REPORTS_DIR = `${WORK_DIR}/reports`;
/** The image's non-root user and group (deploy/Containerfile). */
export const RUN_AS = 10001;
/** Time the run has to restore after SIGTERM (the Job's deadline, or a deleted pod), s. */
export const GRACE_SECONDS = 60;

/** Where the reports go. */
export type ReportsVolume = { kind: 'create'; size: string } | { kind: 'existing'; claim: string } | { kind: 'none' };

/** What the objects are built from. */
export interface ScheduleSpec {
  /** Name of every object (the PVC adds "-reports"). */
  name: string;
  /** Namespace of the CronJob, its ServiceAccount, ConfigMap and PVC. */
  namespace: string;
  /** The CronJob's schedule (checked). */
  cron: string;
  /** The CronJob's timeZone. @default the controller's (UTC on most clusters) */
  timeZone?: string;
  /** Image with mesh-exp (deploy/Containerfile). */
  image: string;
  /** mesh-exp's arguments in the pod (the runnable's command, its file under {@link FILES_DIR}). */
  args: string[];
  /** The run's files. */
  files: ScheduledFiles;
  /** Role rules per namespace (empty: no Role, and no token mounted in the pod). */
  roles: ReadonlyMap<string, PolicyRule[]>;
  /** The Job's deadline, s. */
  activeDeadlineSeconds: number;
  /** Where the reports go. */
  reports: ReportsVolume;
  /** The Secret the notify targets' URLs come from. @default absent (the run has no notify target) */
  notifySecret?: NotifySecret;
}

/** The labels of every object and of the pods. */
export function labelsOf(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'mesh-exp', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': 'scheduled-run', 'app.kubernetes.io/managed-by': 'mesh-exp' };
}

/** Every object, in apply order. */
export function buildScheduleObjects(s: ScheduleSpec): KubeObject[] {
  const labels = labelsOf(s.name);
  const meta = (namespace = s.namespace, name = s.name) => ({ name, namespace, labels });
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(), automountServiceAccountToken: false }];
  for (const [namespace, rules] of s.roles) {
    out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(namespace), rules });
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: s.name },
      subjects: [{ kind: 'ServiceAccount', name: s.name, namespace: s.namespace }],
    });
  }
  out.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(), ...configMapData(s.files.files) });
  const claim = s.reports.kind === 'existing' ? s.reports.claim : `${s.name}-reports`;
  if (s.reports.kind === 'create') {
    out.push({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(s.namespace, claim), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: s.reports.size } } } });
  }
  out.push(cronJob(s, labels, claim));
  return out;
}

/** Mode of a Secret's file in the pod: its owner (root) and the pod's fsGroup, which the kubelet gives the volume, read it; nobody else. */
const SECRET_MODE = 0o440;

/** The files volume: the ConfigMap, with the notify URL files projected beside its files when there are any. */
function filesVolume(s: ScheduleSpec): Record<string, unknown> {
  const items = s.files.files.map((f) => ({ key: f.key, path: f.path }));
  const projected = s.notifySecret?.files ?? [];
  if (projected.length === 0) return { name: 'files', configMap: { name: s.name, defaultMode: 0o444, items } };
  return {
    name: 'files',
    projected: { defaultMode: 0o444, sources: [{ configMap: { name: s.name, items } }, { secret: { name: s.notifySecret!.name, items: projected.map((f) => ({ ...f, mode: SECRET_MODE })) } }] },
  };
}

/** The container's env and extra mounts, and the pod's extra volume, that give it the notify Secret's keys. */
function notifyWiring(secret: NotifySecret | undefined) {
  if (!secret) return { env: [], mounts: [], volumes: [] };
  const env = secret.env.map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: secret.name, key: e.key } } }));
  // subPath: one file at its path, the directory around it left as the image has it.
  const mounts = secret.mounts.map((m) => ({ name: 'notify-secret', mountPath: m.mountPath, subPath: m.key, readOnly: true }));
  const volumes = secret.mounts.length ? [{ name: 'notify-secret', secret: { secretName: secret.name, defaultMode: SECRET_MODE, items: secret.mounts.map((m) => ({ key: m.key, path: m.key })) } }] : [];
  return { env, mounts, volumes };
}

function cronJob(s: ScheduleSpec, labels: Record<string, string>, claim: string): KubeObject {
  const reports = s.reports.kind === 'none' ? { emptyDir: {} } : { persistentVolumeClaim: { claimName: claim } };
  const notify = notifyWiring(s.notifySecret);
  const pod = {
    metadata: { labels },
    spec: {
      serviceAccountName: s.name,
      // The token only where the run needs the API: a local-mesh run has no Role to use it with.
      automountServiceAccountToken: s.roles.size > 0,
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: GRACE_SECONDS,
      securityContext: { runAsNonRoot: true, runAsUser: RUN_AS, runAsGroup: RUN_AS, fsGroup: RUN_AS, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'mesh-exp',
          image: s.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['mesh-exp'],
          args: s.args,
          workingDir: WORK_DIR,
          ...(notify.env.length ? { env: notify.env } : {}),
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [
            { name: 'files', mountPath: FILES_DIR, readOnly: true },
            { name: 'reports', mountPath: REPORTS_DIR },
            { name: 'tmp', mountPath: '/tmp' },
            ...notify.mounts,
          ],
        },
      ],
      volumes: [
        filesVolume(s),
        { name: 'reports', ...reports },
        { name: 'tmp', emptyDir: {} },
        ...notify.volumes,
      ],
    },
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: s.name, namespace: s.namespace, labels },
    spec: {
      schedule: s.cron,
      ...(s.timeZone !== undefined ? { timeZone: s.timeZone } : {}),
      // Two runs on one target would fight over it (the second is refused as busy): never overlap.
      concurrencyPolicy: 'Forbid',
      // A run missed by more than this (controller down, cluster paused) is skipped, not started late.
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        // Never retried blindly: a failed game day is read, not repeated.
        spec: { backoffLimit: 0, activeDeadlineSeconds: s.activeDeadlineSeconds, template: pod },
      },
    },
  };
}

/** The Job's deadline for a run planned to take `plannedMs`: the plan plus a fifth, plus ten minutes for start-up, preflight, restore and reports, s. */
export function deadlineSeconds(plannedMs: number): number {
  return Math.ceil((plannedMs * 1.2 + 10 * 60_000) / 1000);
}
