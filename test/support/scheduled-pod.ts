/**
 * A scheduled run's pod, laid out on this machine (no kubelet): the ConfigMap's files written under
 * a root at the mount path the CronJob's container names, as the volume's items place them (a
 * projected volume's Secret items too), the Secret's keys mounted by subPath at their paths, the
 * container's env taken from the Secret as its secretKeyRefs say, and the container's working
 * directory and reports mount made. The tests then run the container's arguments in-process with
 * that working directory and env, as the pod would.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The parts of a CronJob's pod a layout needs (client-node's V1PodSpec or the printed YAML). */
export interface ScheduledPodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Array<{
    command?: string[];
    args?: string[];
    workingDir?: string;
    env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
    volumeMounts?: Array<{ name: string; mountPath: string; subPath?: string }>;
  }>;
  volumes?: Array<{
    name: string;
    configMap?: { items?: Items };
    secret?: { secretName?: string; items?: Items };
    projected?: { sources?: Array<{ configMap?: { items?: Items }; secret?: { name?: string; items?: Items } }> };
  }>;
}

type Items = Array<{ key: string; path: string }>;

/** A Secret as the API server returns it (values base64, as client-node's V1Secret has them). */
export interface PodSecret {
  metadata?: { name?: string };
  data?: Record<string, string>;
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
  /** The container's environment from its env (secretKeyRefs resolved from the Secret). */
  env: Record<string, string>;
}

/**
 * Lays out `pod` with the ConfigMap's `data` and `binaryData` under a fresh temp root, and
 * `secret`'s keys where the pod takes them; a key the pod names and the Secret lacks throws, as
 * the kubelet would not start the container.
 */
export async function layOutScheduledPod(pod: ScheduledPodSpec, configMap: { data?: Record<string, string>; binaryData?: Record<string, string> }, secret?: PodSecret): Promise<LaidOutPod> {
  const container = pod.containers[0]!;
  const root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-pod-'));
  const mountOf = (volume: string) => path.join(root, container.volumeMounts!.find((m) => m.name === volume && m.subPath === undefined)!.mountPath);
  const secretValue = (name: string | undefined, key: string): Buffer => {
    const value = name === secret?.metadata?.name ? secret?.data?.[key] : undefined;
    if (value === undefined) throw new Error(`the pod reads key ${key} of Secret ${name}, which the test did not give`);
    return Buffer.from(value, 'base64');
  };
  const put = async (to: string, bytes: Buffer | string) => {
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, bytes);
  };
  const files = pod.volumes!.find((v) => v.name === 'files')!;
  const sources = files.projected?.sources ?? [{ configMap: files.configMap! }];
  for (const source of sources) {
    for (const item of source.configMap?.items ?? []) await put(path.join(mountOf('files'), item.path), configMap.data?.[item.key] ?? Buffer.from(configMap.binaryData![item.key]!, 'base64'));
    for (const item of source.secret?.items ?? []) await put(path.join(mountOf('files'), item.path), secretValue(source.secret!.name, item.key));
  }
  // An absolute URL file lands under the root: an in-process run would not find it there (tests run relative ones).
  for (const m of container.volumeMounts!.filter((v) => v.subPath !== undefined)) {
    const volume = pod.volumes!.find((v) => v.name === m.name)!;
    const item = volume.secret!.items!.find((i) => i.path === m.subPath)!;
    await put(path.join(root, m.mountPath), secretValue(volume.secret!.secretName, item.key));
  }
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) env[e.name] = e.valueFrom?.secretKeyRef ? secretValue(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key).toString('utf8') : (e.value ?? '');
  await mkdir(mountOf('reports'), { recursive: true });
  return { root, cwd: path.join(root, container.workingDir!), args: container.args!, reports: mountOf('reports'), env };
}
