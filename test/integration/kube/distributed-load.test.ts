/**
 * load.distributed against a REAL kube-apiserver (localkube; no kubelet, no controllers: the Job's
 * pods never start here, see distributed-simulation.test.ts for them):
 *   - the API server validates the Job and the TestRun (server-side dry run and create) as the
 *     builders write them, and refuses a broken one: the check is real;
 *   - a run creates each step's ConfigMap and Job (vegeta) or TestRun (k6), marked with the run's
 *     journal, journals each BEFORE its create, and deletes them on every end: promote, rollback,
 *     SIGINT, and SIGKILL followed by `mesh-exp recover`;
 *   - `mesh-exp plan` prints the objects.
 * Prometheus is the real one; it scrapes nothing here (nothing runs the load), so the checks have no
 * data: noDataFails false promotes, true rolls back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { createClusterObjects, type ClusterObjects } from '../../../src/kube/cluster-objects.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { buildVegetaJob } from '../../../src/load/distributed/vegeta-job.js';
import { buildK6TestRun } from '../../../src/load/distributed/k6-testrun.js';
import { distributedLoadPlan, distributedStepInput } from '../../../src/load/distributed/step-input.js';
import { loadExperimentFile } from '../../../src/experiment/validate.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { readFixture as read, useDistributedCluster } from '../../support/distributed-cluster.js';
import { DIST_NS as NS, journalObjectLines, listLoadObjects, watchLoadObjects, writeDistributedExperiment } from '../../support/distributed-harness.js';
import { localKubeAvailable } from '../../support/localkube.js';
import { requirePrometheus } from '../../support/prometheus.js';
import { spawnCli } from '../../support/recover-harness.js';

const WHY = 'the distributed-load tests';
const prometheusBinary = localKubeAvailable(WHY) ? requirePrometheus() : undefined;

describe.skipIf(!prometheusBinary)('load.distributed against a real kube-apiserver (Job, TestRun, every exit path)', () => {
  const c = useDistributedCluster({ why: WHY, prometheusBinary: prometheusBinary! });
  let cluster: ClusterObjects;
  let kubeconfig: string;
  const vs = read('test/fixtures/kube-istio/reviews-vs.yaml');

  beforeAll(async () => {
    cluster = await createClusterObjects(c.kube.kubeConfig('admin'));
    kubeconfig = c.kube.kubeconfigPath('admin');
  });

  const experiment = (name: string, o: Omit<Parameters<typeof writeDistributedExperiment>[1], 'prometheus'>) =>
    writeDistributedExperiment(path.join(c.work, `${name}.yaml`), { ...o, prometheus: c.prom.url });
  const vsIsOriginal = async () => expect(userOwned((await c.admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!, VIRTUAL_SERVICE)).toEqual(userOwned(c.original, VIRTUAL_SERVICE));
  const stepInput = async (file: string) => {
    const { experiment: exp } = await loadExperimentFile(file, { cwd: REPO_ROOT });
    return { ...distributedStepInput(exp, 'test', distributedLoadPlan(exp, 2000), 0), annotations: { [OWNER_ANNOTATION]: '/runs/x/journal.jsonl' } };
  };

  it('the API server accepts the Job and the TestRun as built (dry run, then create) and refuses a broken one', async () => {
    const job = buildVegetaJob(await stepInput(await experiment('valid-vegeta', { generator: 'vegeta', noDataFails: true })));
    const testRun = buildK6TestRun(await stepInput(await experiment('valid-k6', { generator: 'k6', noDataFails: true })));
    for (const o of [...job, ...testRun.slice(1)]) await cluster.create(o, { dryRun: true });
    // A dry run creates nothing.
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
    const createdJob = await cluster.create(job[1]!);
    const spec = createdJob.spec as Record<string, unknown> & { template: { spec: { containers: { args: string[]; resources: unknown }[] } } };
    expect(spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 0, activeDeadlineSeconds: 62, ttlSecondsAfterFinished: 300 });
    expect(spec.template.spec.containers[0]!.args).toContain('-prometheus-addr=0.0.0.0:8880');
    expect(spec.template.spec.containers[0]!.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect(createdJob.metadata.annotations?.[OWNER_ANNOTATION]).toBe('/runs/x/journal.jsonl');
    const createdRun = await cluster.create(testRun[1]!);
    // Written "false": the CRD's default "true" would leave the operator waiting forever.
    expect(createdRun.spec).toMatchObject({ parallelism: 3, paused: 'false', script: { configMap: { name: testRun[0]!.metadata.name, file: 'load.js' } } });
    // Nothing mesh-exp writes is pruned by the CRD's schema: the runners carry the mark and the resources.
    expect((createdRun.spec as { runner: unknown }).runner).toMatchObject({
      metadata: { annotations: { [OWNER_ANNOTATION]: '/runs/x/journal.jsonl' } },
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });
    for (const o of [job[1]!, testRun[1]!]) expect(await cluster.delete({ apiVersion: o.apiVersion, kind: o.kind, namespace: NS, name: o.metadata.name })).toBe(true);

    const broken = structuredClone(job[1]!);
    (broken.spec as { completionMode: string }).completionMode = 'Sometimes';
    const err = await cluster.create(broken, { dryRun: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(422);
    expect((err as Error).message).toMatch(/jobs\.batch.*completionMode/);
  });

  it.each([
    ['vegeta', 'promoted', false, 0, ['ConfigMap', 'Job']],
    ['vegeta', 'rolled-back', true, 1, ['ConfigMap', 'Job']],
    ['k6', 'promoted', false, 0, ['ConfigMap', 'TestRun']],
  ] as const)('generator %s, %s: each step creates its marked objects, journaled first, and deletes them', async (generator, outcome, noDataFails, code, kinds) => {
    const file = await experiment(`${generator}-${outcome}`, { generator, noDataFails });
    const dir = path.join(c.work, `${generator}-${outcome}`);
    const running = runCliInProcess(['run', file, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress']);
    const seen = await watchLoadObjects(c.kube.kubeConfig('admin'), NS, running);
    const out = await running;
    expect(out.code, out.stderr).toBe(code);
    expect(out.stdout).toMatch(outcome === 'promoted' ? /^PROMOTED / : /^ROLLED-BACK /);
    const steps = outcome === 'promoted' ? 2 : 1;
    const names = [...seen.values()].map((o) => `${o.kind}/${o.name.replace(/-[0-9a-z]+-(\d)$/, '-<id>-$1')}`).sort();
    expect(names).toEqual(Array.from({ length: steps }, (_, i) => kinds.map((k) => `${k}/mx-distributed-${generator}-<id>-${i + 1}`)).flat().sort());
    for (const o of seen.values()) expect(o.object.metadata.annotations?.[OWNER_ANNOTATION]).toBe(path.join(dir, 'journal.jsonl'));
    // Nothing is left, and the journal has each object's creation before its deletion.
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
    const lines = await journalObjectLines(dir);
    expect(lines).toHaveLength(4 * steps);
    for (const o of seen.values()) {
      const created = lines.indexOf(`created ${o.kind}/${o.name}`);
      expect(created).toBeGreaterThanOrEqual(0);
      expect(lines.indexOf(`deleted ${o.kind}/${o.name} (run)`)).toBeGreaterThan(created);
    }
    const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as { environment: Record<string, string> };
    expect(result.environment['engine']).toBe(`${generator} (distributed: 3 pods in the cluster)`);
    if (outcome === 'rolled-back') await vsIsOriginal();
  }, 60_000);

  it('SIGINT while the pods would run: the objects are deleted, the VirtualService restored, exit 130', async () => {
    const file = await experiment('interrupted', { generator: 'vegeta', noDataFails: false, interval: '30s' });
    const dir = path.join(c.work, 'interrupted');
    let signalled = false;
    const { child, exit } = spawnCli(['run', file, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress']);
    const poll = setInterval(() => {
      void listLoadObjects(c.kube.kubeConfig('admin'), NS).then((l) => {
        if (!signalled && l.some((o) => o.kind === 'Job')) {
          signalled = true;
          child.kill('SIGINT');
        }
      }, () => {});
    }, 100);
    const out = await exit.finally(() => clearInterval(poll));
    expect(signalled).toBe(true);
    expect(out.code, out.stderr).toBe(130);
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
    expect(await journalObjectLines(dir)).toEqual([
      expect.stringMatching(/^created ConfigMap\//),
      expect.stringMatching(/^created Job\//),
      expect.stringMatching(/^deleted Job\/.* \(run\)$/),
      expect.stringMatching(/^deleted ConfigMap\/.* \(run\)$/),
    ]);
    await vsIsOriginal();
  }, 60_000);

  it('SIGKILL mid-load leaves the marked Job and ConfigMap; recover deletes them (and restores), a second recover has nothing to do', async () => {
    const file = await experiment('killed', { generator: 'vegeta', noDataFails: false, interval: '4s' });
    const dir = path.join(c.work, 'killed');
    const killed = await spawnCli(['run', file, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'mid-load' } }).exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = await listLoadObjects(c.kube.kubeConfig('admin'), NS);
    expect(left.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Job']);
    for (const o of left) expect(o.object.metadata.annotations?.[OWNER_ANNOTATION]).toBe(path.join(dir, 'journal.jsonl'));

    const recovered = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/load object Job storefront\/mx-distributed-vegeta-[0-9a-z]+-1: deleted/);
    expect(recovered.stdout).toMatch(/load object ConfigMap storefront\/mx-distributed-vegeta-[0-9a-z]+-1: deleted/);
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
    await vsIsOriginal();
    const again = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(again.code).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toMatch(/nothing to recover/);
  }, 60_000);

  it('recover leaves alone an object under a journaled name that does not carry the run\'s mark', async () => {
    const file = await experiment('foreign', { generator: 'vegeta', noDataFails: false, interval: '4s' });
    const dir = path.join(c.work, 'foreign');
    const killed = await spawnCli(['run', file, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'mid-load' } }).exit;
    expect(killed.signal).toBe('SIGKILL');
    const cm = (await listLoadObjects(c.kube.kubeConfig('admin'), NS)).find((o) => o.kind === 'ConfigMap')!;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: cm.name };
    // Someone else's ConfigMap under that name now.
    await cluster.delete(ref);
    await cluster.create({ ...ref, metadata: { name: cm.name, namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'mesh-exp' } }, data: { mine: 'yes' } });
    const recovered = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.stdout).toMatch(/load object ConfigMap .*: not this run's, left alone/);
    expect(recovered.stdout).toMatch(/load object Job .*: deleted/);
    expect((await cluster.read(ref))?.['data']).toEqual({ mine: 'yes' });
    await cluster.delete(ref);
  }, 60_000);

  it('mesh-exp plan prints the Job (vegeta) and the ConfigMap + TestRun (k6)', async () => {
    const vegeta = await runCliInProcess(['plan', await experiment('plan-vegeta', { generator: 'vegeta', noDataFails: true }), '--kubeconfig', kubeconfig]);
    expect(vegeta.code, vegeta.stderr).toBe(0);
    expect(vegeta.stdout).toMatch(/load 30 req\/s \(vegeta, from 3 pod\(s\) in the cluster\)/);
    expect(vegeta.stdout).toMatch(/^kind: Job$/m);
    expect(vegeta.stdout).toMatch(/completionMode: Indexed/);
    expect(vegeta.stdout).toMatch(/- -rate=10\/1s/);
    expect(vegeta.stdout).not.toMatch(/&a1|\*a1/);
    const k6 = await runCliInProcess(['plan', await experiment('plan-k6', { generator: 'k6', noDataFails: true }), '--kubeconfig', kubeconfig]);
    expect(k6.code, k6.stderr).toBe(0);
    expect(k6.stdout).toMatch(/^kind: ConfigMap$/m);
    expect(k6.stdout).toMatch(/^kind: TestRun$/m);
    expect(k6.stdout).toMatch(/paused: "false"/);
    expect(await listLoadObjects(c.kube.kubeConfig('admin'), NS)).toEqual([]);
  });
});
