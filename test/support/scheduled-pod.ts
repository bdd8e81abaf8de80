/**
 * A scheduled run's pod, laid out on this machine (no kubelet): the ConfigMap's files written under
 * a root at the mount path the CronJob's container names, as the volume's items place them, and the
 * container's working directory and reports mount made. The tests then run the container's
 * arguments in-process with that working directory, as the pod would.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The parts of a CronJob's pod a layout needs (client-node's V1PodSpec or the printed YAML). */
export interface ScheduledPodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Array<{ command?: string[]; args?: string[]; workingDir?: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
  volumes?: Array<{ name: string; configMap?: { items?: Array<{ key: string; path: string }> } }>;
}

/** A laid-out pod. */
export interface LaidOutPod {
  /** The temp root standing for the pod's file system. */
  root: string;
  /** The container's working directory under the root. */
  cwd: string;
  /** The container's arguments (its command is `mesh-exp`). */
  args: string[];
  /** The reports mount under the root. */
  reports: string;
}

/** Lays out `pod` with the ConfigMap's `data` and `binaryData` under a fresh temp root. */
export async function layOutScheduledPod(pod: ScheduledPodSpec, configMap: { data?: Record<string, string>; binaryData?: Record<string, string> }): Promise<LaidOutPod> {
  const container = pod.containers[0]!;
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-pod-'));
  const mountOf = (volume: string) => path.join(root, container.volumeMounts!.find((m) => m.name === volume)!.mountPath);
  for (const item of pod.volumes!.find((v) => v.name === 'files')!.configMap!.items!) {
    const to = path.join(mountOf('files'), item.path);
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, configMap.data?.[item.key] ?? Buffer.from(configMap.binaryData![item.key]!, 'base64'));
  }
  await mkdir(mountOf('reports'), { recursive: true });
  return { root, cwd: path.join(root, container.workingDir!), args: container.args!, reports: mountOf('reports') };
}
