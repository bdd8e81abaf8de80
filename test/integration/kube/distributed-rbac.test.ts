/**
 * deploy/rbac.yaml and distributed load, against a kube-apiserver authorizing with RBAC: the limited
 * User "mesh-exp" bound to the shipped Role runs a whole experiment with load.distributed (vegeta:
 * ConfigMap + Job; k6: ConfigMap + TestRun), creating and deleting its objects; with "create",
 * "delete" or "get" taken away on jobs, testruns or configmaps, the run stops in preflight with a
 * message naming the verb, the resource and the namespace — before it changes anything or creates
 * any object (a run that could create load but not delete it would leave it behind). And a recover
 * that may not delete the killed run's Job still restores the VirtualService, says what is left,
 * and a later recover with the verb back deletes it.
 */
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCustomObjects, type CustomObjects, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import type { KubeApiError } from '../../../src/kube/kube-error.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { runCliInProcess } from '../../support/cli.js';
import { readFixture as read, useDistributedCluster } from '../../support/distributed-cluster.js';
import { DIST_NS as NS, listLoadObjects, watchLoadObjects, writeDistributedExperiment } from '../../support/distributed-harness.js';
import { rulesWithout, SHIPPED_BINDING, SHIPPED_ROLE } from '../../support/shipped-rbac.js';
import { localKubeAvailable } from '../../support/localkube.js';
import { requirePrometheus } from '../../support/prometheus.js';
import { spawnCli } from '../../support/recover-harness.js';

const WHY = 'the distributed-load RBAC tests';
const prometheusBinary = localKubeAvailable(WHY) ? requirePrometheus() : undefined;
const role = SHIPPED_ROLE;
const binding = SHIPPED_BINDING;

describe.skipIf(!prometheusBinary)('deploy/rbac.yaml with load.distributed (kube-apiserver authorizing with RBAC)', () => {
  const c = useDistributedCluster({ why: WHY, prometheusBinary: prometheusBinary!, rbac: true });
  let user: CustomObjects;
  let rbac: import('@kubernetes/client-node').RbacAuthorizationV1Api;

  beforeAll(async () => {
    const { RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
    rbac = c.kube.kubeConfig('admin').makeApiClient(RbacAuthorizationV1Api);
    user = await createCustomObjects(c.kube.kubeConfig('user'));
    await rbac.createNamespacedRoleBinding({ namespace: NS, body: { ...binding, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mesh-exp' }] } });
  });
  beforeEach(async () => {
    await rbac.deleteNamespacedRole({ namespace: NS, name: 'mesh-exp' }).catch(() => undefined);
  });

  /** Installs the shipped Role, minus `verb` on `resource` when given; waits until it is in force. */
  const grant = async (without?: { verb: string; resource: string }) => {
    const rules = rulesWithout(without);
    await rbac.createNamespacedRole({ namespace: NS, body: { ...role, rules } });
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      if (await user.get(VIRTUAL_SERVICE, NS, 'absent').then(() => true, (e: unknown) => (e as KubeApiError).status === 404)) return;
    }
    throw new Error('the Role never took effect');
  };
  const run = async (name: string, generator: 'vegeta' | 'k6') => {
    const file = await writeDistributedExperiment(path.join(c.work, `${name}.yaml`), { generator, prometheus: c.prom.url, noDataFails: false });
    const running = runCliInProcess(['run', file, '--kubeconfig', c.kube.kubeconfigPath('user'), '--report-dir', path.join(c.work, name), '--no-progress']);
    const seen = await watchLoadObjects(c.kube.kubeConfig('admin'), NS, running);
    return { ...(await running), seen };
  };
  const untouched = async () => expect(userOwned((await c.admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!, VIRTUAL_SERVICE)).toEqual(userOwned(c.original, VIRTUAL_SERVICE));

  it('without the Role the user cannot create a Job: the check is real', async () => {
    const out = await run('no-role', 'vegeta');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/forbidden/);
  });

  it.each(['vegeta', 'k6'] as const)('the shipped Role is enough for a whole run with distributed load (%s)', async (generator) => {
    await grant();
    const out = await run(`full-${generator}`, generator);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).not.toMatch(/forbidden/i);
    expect([...out.seen.values()].map((o) => o.kind).sort()).toEqual(generator === 'vegeta' ? ['ConfigMap', 'ConfigMap', 'Job', 'Job'] : ['ConfigMap', 'ConfigMap', 'TestRun', 'TestRun']);
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
  }, 60_000);

  it.each([
    ['create', 'jobs', 'vegeta', /cannot create jobs\.batch "mx-distributed-vegeta-[0-9a-z]+-1" in namespace storefront/],
    ['delete', 'jobs', 'vegeta', /cannot delete jobs\.batch in namespace storefront/],
    ['get', 'configmaps', 'vegeta', /cannot get configmaps in namespace storefront/],
    ['create', 'testruns', 'k6', /cannot create testruns\.k6\.io "mx-distributed-k6-[0-9a-z]+-1" in namespace storefront/],
    ['delete', 'testruns', 'k6', /cannot delete testruns\.k6\.io in namespace storefront/],
  ] as const)('without "%s" on %s (%s) the run stops in preflight, naming it, before any change or object', async (verb, resource, generator, message) => {
    await grant({ verb, resource });
    const out = await run(`without-${verb}-${resource}`, generator);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toMatch(new RegExp(`grant the verb "${verb}" on ${resource}`));
    expect(out.seen.size).toBe(0);
    await untouched();
  }, 60_000);

  it('recover without "delete" on jobs restores the VirtualService, fails naming the leftover, and a recover with the verb deletes it', async () => {
    await grant();
    const file = await writeDistributedExperiment(path.join(c.work, 'killed.yaml'), { generator: 'vegeta', prometheus: c.prom.url, noDataFails: false, interval: '4s' });
    const dir = path.join(c.work, 'killed');
    const killed = await spawnCli(['run', file, '--kubeconfig', c.kube.kubeconfigPath('user'), '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'mid-load' } }).exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect((await listLoadObjects(c.kube.kubeConfig('admin'), NS)).map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Job']);

    await rbac.deleteNamespacedRole({ namespace: NS, name: 'mesh-exp' });
    await grant({ verb: 'delete', resource: 'jobs' });
    const partial = await runCliInProcess(['recover', dir, '--kubeconfig', c.kube.kubeconfigPath('user')]);
    expect(partial.code).toBe(3);
    expect(partial.stderr).toMatch(/the run's distributed load objects could not be deleted: forbidden: cannot delete jobs\.batch "mx-distributed-vegeta-[0-9a-z]+-1" in namespace storefront/);
    expect(partial.stderr).toMatch(/run `mesh-exp recover .*` again/);
    await untouched();
    // The ConfigMap went (the Role allows it); the Job is left, and still pending in the journal.
    expect((await listLoadObjects(c.kube.kubeConfig('admin'), NS)).map((o) => o.kind)).toEqual(['Job']);

    await rbac.deleteNamespacedRole({ namespace: NS, name: 'mesh-exp' });
    await grant();
    const done = await runCliInProcess(['recover', dir, '--kubeconfig', c.kube.kubeconfigPath('user')]);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/load object Job storefront\/mx-distributed-vegeta-[0-9a-z]+-1: deleted/);
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
  }, 90_000);
});
