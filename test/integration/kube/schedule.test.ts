/**
 * `mesh-exp schedule` against a real kube-apiserver authorizing with RBAC (localkube): the API server
 * accepts the objects at server-side dry run and at apply, and a second apply changes nothing. Then
 * the CronJob's container command runs here as the pod would run it — the ConfigMap's files laid out
 * at the mount path from what the API server stored, the working directory and arguments of the
 * container, the generated ServiceAccount's token (issued by the TokenRequest API), ca.crt and
 * namespace where a pod has them, KUBERNETES_SERVICE_HOST/PORT set — and runs the experiment
 * (provider istio, data and body files from the ConfigMap) to a promotion with only the generated
 * Role bound. With "patch" taken out of that Role, the run stops in preflight naming the verb, the
 * resource and the namespace; `--apply` again puts the Role back. With spec.notify, the pod gets
 * the webhook URLs from a Secret the admin creates (env from secretKeyRef, a URL file projected into
 * the files mount): --apply warns while it is missing, says quietly that it could not check when
 * the caller may not get Secrets, and the pod's run notifies real receivers of its start and verdict.
 * A scheduled game day is schedule-gameday.test.ts.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { startTestServer, type TestServer } from '../../support/load-test-server.js';
import { useNotifyReceivers } from '../../support/notify-receiver.js';
import { accessAllowed, dropRoleVerb, runScheduledPod, untilAccess } from '../../support/scheduled-pod-run.js';

const NS = 'storefront';
const NAME = 'weekly-canary';
const fixture = async (rel: string) => parse(await readFile(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;

describe.skipIf(!localKubeAvailable('the schedule tests'))('mesh-exp schedule against a kube-apiserver authorizing with RBAC', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let core: CoreV1Api;
  let rbac: RbacAuthorizationV1Api;
  let authz: import('@kubernetes/client-node').AuthorizationV1Api;
  let server: TestServer;
  let work: string;
  let file: string;
  let vs: KubeObject;
  /** What the load server was sent: method, path and body of each distinct request. */
  const seen = new Set<string>();
  const receiver = useNotifyReceivers();

  beforeAll(async () => {
    kube = await startLocalKube({ namespace: NS, rbac: true });
    const k8s = await import('@kubernetes/client-node');
    const kc = kube.kubeConfig('admin');
    [core, rbac, authz] = [kc.makeApiClient(k8s.CoreV1Api), kc.makeApiClient(k8s.RbacAuthorizationV1Api), kc.makeApiClient(k8s.AuthorizationV1Api)];
    admin = await createCustomObjects(kc);
    await admin.create(DESTINATION_RULE, NS, { ...(await fixture('test/fixtures/bookinfo/destination-rule-reviews.yaml')), metadata: { name: 'reviews', namespace: NS } });
    vs = await fixture('test/fixtures/kube-istio/reviews-vs.yaml');
    // The load goes to a plain server answering 200 for both versions: the run's SLO is on all requests.
    server = await startTestServer((req, res, i) => {
      let body = '';
      req.on('data', (b: Buffer) => (body += b.toString()));
      req.on('end', () => seen.add(`${req.method} ${req.url} ${body.trim()}`));
      res.setHeader('x-version', i % 2 ? 'v3' : 'v1');
      res.end('ok');
    });
    // The fixture's files, with the load sent to that server.
    work = await mkdtemp(path.join(tmpdir(), 'mesh-exp-schedule-'));
    await cp(path.join(REPO_ROOT, 'test/fixtures/schedule'), work, { recursive: true });
    file = path.join(work, 'game/experiment.yaml');
    for (const f of [file, path.join(work, 'notify/experiment.yaml')]) await writeFile(f, (await readFile(f, 'utf8')).replace('http://127.0.0.1:9/', `${server.url}/`));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([kube?.dispose(), server?.close()]);
    if (work) await rm(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await recreate(admin, VIRTUAL_SERVICE, NS, vs);
  });

  const schedule = (...extra: string[]) => runCliInProcess(['schedule', file, '--cron', '0 3 * * 1', ...extra, '--kubeconfig', kube.kubeconfigPath('admin')]);
  const account = { name: NAME, namespace: NS };
  const allowed = (verb: string, resource: string) => accessAllowed(kube, account, verb, resource);
  const until = (verb: string, resource: string, want: boolean) => untilAccess(kube, account, verb, resource, want);

  it('prints the objects; the API server accepts them at server-side dry run and stores nothing', async () => {
    const printed = await runCliInProcess(['schedule', file, '--cron', '0 3 * * 1']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(parseAllDocuments(printed.stdout).map((d) => (d.toJS() as KubeObject).kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'PersistentVolumeClaim', 'CronJob']);

    const dry = await schedule('--apply', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.trim().split('\n')).toEqual(['serviceaccount', 'role', 'rolebinding', 'configmap', 'persistentvolumeclaim', 'cronjob'].map((k) => `${k}/${k === 'persistentvolumeclaim' ? `${NAME}-reports` : NAME} in ${NS}: created (server dry run)`));
    const absent = await core.readNamespacedConfigMap({ name: NAME, namespace: NS }).then(() => false, (e: { code?: number }) => e.code === 404);
    expect(absent).toBe(true);
  });

  it('--apply creates them, a second --apply changes nothing; the pod\'s command, with only the generated Role, runs the experiment to a promotion', async () => {
    const first = await schedule('--apply');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^cronjob\/weekly-canary in storefront: created$/m);
    const again = await schedule('--apply');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n').map((l) => l.replace(/^.*: /, ''))).toEqual(Array(6).fill('unchanged'));

    await until('patch', 'virtualservices', true);
    // The check is real: the ServiceAccount may do what the Role says and nothing more.
    expect(await allowed('delete', 'virtualservices')).toBe(false);
    expect(await allowed('watch', 'virtualservices')).toBe(false);
    const pod = await runScheduledPod(kube, account);
    try {
      expect(pod.code, pod.stdout + pod.stderr).toBe(0);
      expect(pod.stdout).toMatch(/PROMOTED/);
      // The run's directory (beside it, the history's index.jsonl).
      const [dir] = (await readdir(pod.reports, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
      expect(dir).toMatch(/^weekly-canary-\d{8}-\d{6}$/);
      const result = JSON.parse(await readFile(path.join(pod.reports, dir!, 'result.json'), 'utf8')) as { outcome: string; steps: unknown[] };
      expect(result.outcome).toBe('promoted');
      expect(result.steps).toHaveLength(2);
      // The data rows and the body file came from the ConfigMap, found by the file's relative paths.
      expect([...seen].sort()).toEqual([1, 2, 3].map((id) => `POST /orders/${id} {"item": "${id}", "qty": 1}`));
      const after = (await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!;
      expect(after.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
      const primary = (after.spec as { http: Array<{ name?: string; route: Array<{ destination: { subset: string }; weight?: number }> }> }).http.find((r) => r.name === 'primary')!;
      expect(Object.fromEntries(primary.route.map((d) => [d.destination.subset, d.weight ?? 0]))).toMatchObject({ v3: 100 });
    } finally {
      await rm(pod.root, { recursive: true, force: true });
    }
  }, 90_000);

  it('without "patch" in the generated Role the run stops in preflight naming the verb, the resource and the namespace; --apply puts the Role back', async () => {
    expect((await schedule('--apply')).code).toBe(0);
    await dropRoleVerb(kube, account, 'patch');
    const before = userOwned((await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!, VIRTUAL_SERVICE);
    const pod = await runScheduledPod(kube, account);
    try {
      expect(pod.code).toBe(3);
      expect(pod.stderr).toMatch(/forbidden: cannot patch virtualservices\.networking\.istio\.io "reviews" in namespace "?storefront/);
      expect(pod.stderr).toMatch(/system:serviceaccount:storefront:weekly-canary/);
      expect(pod.stderr).toContain('grant the verb "patch" on virtualservices.networking.istio.io in namespace storefront');
      expect(pod.stderr).toContain('mesh-exp schedule --apply');
      expect(pod.stderr).not.toMatch(/^\s+at /m);
      expect(userOwned((await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!, VIRTUAL_SERVICE)).toEqual(before);
    } finally {
      await rm(pod.root, { recursive: true, force: true });
    }

    const fixed = await schedule('--apply');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/^role\/weekly-canary in storefront: configured$/m);
    expect(fixed.stdout.match(/: unchanged$/gm)).toHaveLength(5);
    await until('patch', 'virtualservices', true);
  }, 90_000);

  it('spec.notify: the pod gets the URLs from the Secret (env and a projected file), --apply warns while it is missing, and the run notifies start and verdict', async () => {
    const [slack, hook] = [await receiver(), await receiver()];
    const notified = path.join(work, 'notify/experiment.yaml');
    const args = ['schedule', notified, '--cron', '0 3 * * 1', '--apply'];
    const missing = await runCliInProcess([...args, '--kubeconfig', kube.kubeconfigPath('admin')]);
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).toContain('kubectl -n storefront create secret generic notified-canary-notify --from-literal=SLACK_WEBHOOK_URL=<webhook URL> --from-literal=secrets_webhook-url=<webhook URL>');
    expect(missing.stderr).toMatch(/^warning: Secret storefront\/notified-canary-notify does not exist yet/m);

    // The Secret is the user's: created here as the admin would, with the keys the note named.
    await core.createNamespacedSecret({ namespace: NS, body: { metadata: { name: 'notified-canary-notify' }, stringData: { SLACK_WEBHOOK_URL: slack.url, 'secrets_webhook-url': `${hook.url}\n` } } });
    const present = await runCliInProcess([...args, '--kubeconfig', kube.kubeconfigPath('admin')]);
    expect(present.code, present.stderr).toBe(0);
    expect(present.stderr).not.toMatch(/does not exist|could not check/);
    // A caller who may apply the objects but not get Secrets: a quiet note, no failure.
    await rbac.createNamespacedRole({ namespace: NS, body: { metadata: { name: 'scheduler' }, rules: [
      { apiGroups: ['', 'batch', 'rbac.authorization.k8s.io', 'networking.istio.io'], resources: ['serviceaccounts', 'configmaps', 'persistentvolumeclaims', 'cronjobs', 'roles', 'rolebindings', 'virtualservices', 'destinationrules'], verbs: ['get', 'list', 'create', 'patch', 'update'] },
    ] } });
    await rbac.createNamespacedRoleBinding({ namespace: NS, body: { metadata: { name: 'scheduler' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'scheduler' }, subjects: [{ kind: 'User', name: 'mesh-exp', apiGroup: 'rbac.authorization.k8s.io' }] } });
    let unchecked = await runCliInProcess([...args, '--kubeconfig', kube.kubeconfigPath('user')]);
    for (const end = Date.now() + 10_000; unchecked.code !== 0 && Date.now() < end; await new Promise((r) => setTimeout(r, 100))) unchecked = await runCliInProcess([...args, '--kubeconfig', kube.kubeconfigPath('user')]);
    expect(unchecked.code, unchecked.stderr).toBe(0);
    expect(unchecked.stderr).toMatch(/^note: could not check that Secret storefront\/notified-canary-notify exists/m);
    expect(unchecked.stderr).not.toMatch(/^warning:/m);

    // The generated Role gives the run's ServiceAccount no access to Secrets: the kubelet mounts them.
    const role = await rbac.readNamespacedRole({ name: 'notified-canary', namespace: NS });
    expect(role.rules!.flatMap((r) => r.resources ?? [])).not.toContain('secrets');
    const review = async (verb: string, resource: string, group: string) =>
      (await authz.createSubjectAccessReview({ body: { spec: { user: `system:serviceaccount:${NS}:notified-canary`, resourceAttributes: { verb, resource, group, namespace: NS } } } })).status?.allowed === true;
    for (const end = Date.now() + 10_000; Date.now() < end && !(await review('patch', 'virtualservices', 'networking.istio.io')); ) await new Promise((r) => setTimeout(r, 50));
    expect(await review('get', 'secrets', '')).toBe(false);

    const pod = await runScheduledPod(kube, { name: 'notified-canary', namespace: NS }, 'notified-canary-notify');
    try {
      expect(pod.code, pod.stdout + pod.stderr).toBe(0);
      expect(pod.stdout).toMatch(/PROMOTED/);
      await Promise.all([slack.waitFor(2), hook.waitFor(2)]);
      // Slack: its own shape; the webhook: the generic JSON, start then verdict.
      expect(slack.requests.map((r) => Object.keys(r.json as object).sort())).toEqual([['blocks', 'text'], ['blocks', 'text']]);
      expect(slack.requests.map((r) => (r.json as { text: string }).text).join('\n')).toMatch(/notified-canary[\s\S]*promoted/i);
      expect(hook.requests.map((r) => (r.json as { event: string; name: string }).event)).toEqual(['start', 'verdict']);
      expect(hook.requests.map((r) => (r.json as { outcome?: string }).outcome)).toEqual([undefined, 'promoted']);
      for (const secret of [slack.secret, hook.secret]) expect(pod.stdout + pod.stderr).not.toContain(secret);
    } finally {
      await rm(pod.root, { recursive: true, force: true });
    }
  }, 90_000);

  it('gateway-api with distributed load in another namespace: a Role and RoleBinding in each, bound to the ServiceAccount in -n, accepted and applied', async () => {
    for (const name of ['shop', 'load', 'ops']) await core.createNamespace({ body: { metadata: { name } } });
    const args = ['schedule', path.join(work, 'distributed/experiment.yaml'), '--cron', '@daily', '-n', 'ops', '--name', 'nightly', '--kubeconfig', kube.kubeconfigPath('admin'), '--apply'];
    const dry = await runCliInProcess([...args, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const applied = await runCliInProcess(args);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/^role\/nightly in load: created$/m);
    expect(applied.stdout).toMatch(/^rolebinding\/nightly in shop: created$/m);
    const review = async (namespace: string, verb: string, resource: string, group: string) =>
      (await authz.createSubjectAccessReview({ body: { spec: { user: 'system:serviceaccount:ops:nightly', resourceAttributes: { verb, resource, group, namespace } } } })).status?.allowed === true;
    for (const end = Date.now() + 10_000; Date.now() < end && !(await review('load', 'create', 'jobs', 'batch')); ) await new Promise((r) => setTimeout(r, 50));
    expect(await review('load', 'create', 'jobs', 'batch')).toBe(true);
    expect(await review('shop', 'patch', 'httproutes', 'gateway.networking.k8s.io')).toBe(true);
    // Each namespace gets only its own needs.
    expect(await review('shop', 'create', 'jobs', 'batch')).toBe(false);
    expect(await review('load', 'patch', 'httproutes', 'gateway.networking.k8s.io')).toBe(false);
    expect(await review('ops', 'get', 'configmaps', '')).toBe(false);
  });
});
