/**
 * A scheduled run's pod, run against localkube (no kubelet there): the CronJob and ConfigMap read
 * back from the API server and laid out (`scheduled-pod.ts`), a token of the generated
 * ServiceAccount from the TokenRequest API with the CA and namespace where the kubelet mounts them
 * (under the pod's temp root), KUBERNETES_SERVICE_HOST/PORT set, and the container's arguments run
 * in-process. Also RBAC's own answers for that ServiceAccount (SubjectAccessReviews), and a verb
 * taken out of its generated Role, for the missing-verb cases.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../src/context.js';
import { SERVICE_ACCOUNT_DIR } from '../../src/kube/kubeconfig.js';
import type { LocalKube } from './localkube.js';
import { layOutScheduledPod, type ScheduledPodSpec } from './scheduled-pod.js';

/** The scheduled objects' name and namespace: the CronJob, its ServiceAccount, ConfigMap and Role there. */
export interface ScheduledAccount {
  name: string;
  namespace: string;
}

/** What the pod's command did. */
export interface ScheduledPodRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The reports mount under the pod's root. */
  reports: string;
  /** The pod's temp root: the caller removes it. */
  root: string;
}

const k8s = () => import('@kubernetes/client-node');

/**
 * Runs the CronJob's container of `account` as its pod would: its files from the ConfigMap the API
 * server holds, the Secret `secret`'s keys where the pod gets them (the kubelet reads it for the
 * pod; here the admin does), its working directory, and its ServiceAccount's token.
 */
export async function runScheduledPod(kube: LocalKube, account: ScheduledAccount, secret?: string): Promise<ScheduledPodRun> {
  const { BatchV1Api, CoreV1Api } = await k8s();
  const kc = kube.kubeConfig('admin');
  const core = kc.makeApiClient(CoreV1Api);
  const { name, namespace } = account;
  const cron = (await kc.makeApiClient(BatchV1Api).readNamespacedCronJob({ name, namespace })).spec!;
  const pod = cron.jobTemplate.spec!.template.spec!;
  const laid = await layOutScheduledPod(pod as ScheduledPodSpec, await core.readNamespacedConfigMap({ name, namespace }), secret ? await core.readNamespacedSecret({ name: secret, namespace }) : undefined);
  const { root } = laid;
  const token = await core.createNamespacedServiceAccountToken({ name: pod.serviceAccountName!, namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const sa = path.join(root, SERVICE_ACCOUNT_DIR);
  await mkdir(sa, { recursive: true });
  const cluster = kc.getCurrentCluster()!;
  await writeFile(path.join(sa, 'token'), token.status!.token);
  await writeFile(path.join(sa, 'ca.crt'), cluster.caData ? Buffer.from(cluster.caData, 'base64') : await readFile(cluster.caFile!));
  await writeFile(path.join(sa, 'namespace'), namespace);
  const url = new URL(kube.server);
  const env = { ...laid.env, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port, HOME: root, MESH_EXP_IN_CLUSTER_ROOT: root };
  expect(pod.containers[0]!.command).toEqual(['mesh-exp']);
  expect(pod.automountServiceAccountToken).toBe(true);
  const [stdout, stderr] = [createCaptureStream(), createCaptureStream()];
  const code = await runCli(laid.args, createContext({ cwd: laid.cwd, env, stdout, stderr }));
  return { code, stdout: stdout.text(), stderr: stderr.text(), reports: laid.reports, root };
}

/** Whether the generated ServiceAccount may `verb` `resource` in its namespace (a SubjectAccessReview: RBAC's own answer). */
export async function accessAllowed(kube: LocalKube, account: ScheduledAccount, verb: string, resource: string, group = 'networking.istio.io'): Promise<boolean> {
  const { AuthorizationV1Api } = await k8s();
  const { name, namespace } = account;
  const groups = ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];
  const review = await kube.kubeConfig('admin').makeApiClient(AuthorizationV1Api).createSubjectAccessReview({ body: { spec: { user: `system:serviceaccount:${namespace}:${name}`, groups, resourceAttributes: { verb, resource, group, namespace } } } });
  return review.status?.allowed === true;
}

/** Waits until RBAC answers `want` for the verb on `resource` (networking.istio.io): its decisions come from an informer cache. */
export async function untilAccess(kube: LocalKube, account: ScheduledAccount, verb: string, resource: string, want: boolean): Promise<void> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if ((await accessAllowed(kube, account, verb, resource)) === want) return;
  throw new Error(`RBAC never answered ${want} for ${verb} ${resource} in ${account.namespace}`);
}

/** Takes `verb` on virtualservices out of the generated Role (as someone editing it would), and waits until RBAC says so. */
export async function dropRoleVerb(kube: LocalKube, account: ScheduledAccount, verb: string): Promise<void> {
  const { RbacAuthorizationV1Api } = await k8s();
  const rbac = kube.kubeConfig('admin').makeApiClient(RbacAuthorizationV1Api);
  const role = await rbac.readNamespacedRole({ name: account.name, namespace: account.namespace });
  const rules: V1PolicyRule[] = role.rules!.map((r) => (r.resources!.includes('virtualservices') ? { ...r, verbs: r.verbs.filter((v) => v !== verb) } : r));
  await rbac.replaceNamespacedRole({ name: account.name, namespace: account.namespace, body: { ...role, rules } });
  await untilAccess(kube, account, verb, 'virtualservices', false);
}
