/**
 * The scheduled objects of the fixtures under test/fixtures/schedule/: their shapes, the
 * least-privilege Role (exactly the rules each provider and generator declares, per namespace),
 * the files' layout, and the refusals (flags, sizes, paths, names).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../test/support/cli.js';
import { UsageError } from '../errors.js';
import { loadExperimentFile } from '../experiment/validate.js';
import type { KubeObject } from '../kube/custom-objects.js';
import { buildSchedule, type ScheduleOptions } from './schedule.js';
import type { Runnable } from './runnable.js';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schedule');
const runnable = async (file: string): Promise<Runnable> => ({ kind: 'Experiment', loaded: await loadExperimentFile(file, { cwd: FIXTURES }) });
const base: ScheduleOptions = { cron: '0 3 * * 1', image: 'registry.example.com/mesh-exp:0.1.0', reports: { kind: 'create', size: '2Gi' } };
const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
type Pod = { serviceAccountName: string; automountServiceAccountToken: boolean; containers: Array<{ command: string[]; args: string[]; workingDir: string; volumeMounts: Array<{ name: string; mountPath: string }> }>; volumes: Array<{ name: string; configMap?: { items: Array<{ key: string; path: string }> }; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }> };
const podOf = (objects: KubeObject[]) => (byKind(objects, 'CronJob')[0]!.spec as { jobTemplate: { spec: { template: { spec: Pod } } } }).jobTemplate.spec.template.spec;

describe('mesh-exp schedule objects', () => {
  it('provider istio: ServiceAccount, Role and RoleBinding in the target namespace, ConfigMap, PVC, CronJob, in that order', async () => {
    const { objects } = await buildSchedule(await runnable('game/experiment.yaml'), base);
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ServiceAccount storefront/weekly-canary',
      'Role storefront/weekly-canary',
      'RoleBinding storefront/weekly-canary',
      'ConfigMap storefront/weekly-canary',
      'PersistentVolumeClaim storefront/weekly-canary-reports',
      'CronJob storefront/weekly-canary',
    ]);
    // Least privilege: what the istio provider declares, nothing else (no watch, create, update, delete).
    expect(byKind(objects, 'Role')[0]!['rules']).toEqual([
      { apiGroups: ['networking.istio.io'], resources: ['destinationrules', 'virtualservices'], verbs: ['get', 'list', 'patch'] },
    ]);
    expect(byKind(objects, 'RoleBinding')[0]).toMatchObject({ roleRef: { kind: 'Role', name: 'weekly-canary' }, subjects: [{ kind: 'ServiceAccount', name: 'weekly-canary', namespace: 'storefront' }] });
    expect(byKind(objects, 'PersistentVolumeClaim')[0]!.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } });
  });

  it('the CronJob: Forbid, no retry, a deadline from the planned duration, the run of the mounted file, reports on the PVC', async () => {
    const { objects } = await buildSchedule(await runnable('game/experiment.yaml'), base);
    const cron = byKind(objects, 'CronJob')[0]!.spec as Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } };
    expect(cron).toMatchObject({ schedule: '0 3 * * 1', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron['timeZone']).toBeUndefined();
    // Two 1 s steps: 2 s × 1.2 + 600 s, rounded up.
    expect(cron.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 603 });
    const pod = podOf(objects);
    expect(pod.serviceAccountName).toBe('weekly-canary');
    expect(pod.automountServiceAccountToken).toBe(true);
    const [c] = pod.containers;
    expect(c!.command).toEqual(['mesh-exp']);
    expect(c!.args).toEqual(['run', 'files/game/experiment.yaml', '--no-progress']);
    expect(c!.workingDir).toBe('/mesh-exp');
    expect(c!.volumeMounts.map((m) => `${m.name}:${m.mountPath}`)).toEqual(['files:/mesh-exp/files', 'reports:/mesh-exp/reports', 'tmp:/tmp']);
    expect(pod.volumes.find((v) => v.name === 'reports')!.persistentVolumeClaim).toEqual({ claimName: 'weekly-canary-reports' });
  });

  it('the ConfigMap holds the file and every file it reads, mounted with their relative layout', async () => {
    const { objects } = await buildSchedule(await runnable('game/experiment.yaml'), base);
    const data = byKind(objects, 'ConfigMap')[0]!['data'] as Record<string, string>;
    const items = podOf(objects).volumes.find((v) => v.name === 'files')!.configMap!.items;
    const layout = Object.fromEntries(items.map((i) => [i.path, data[i.key]]));
    expect(Object.keys(layout).sort()).toEqual(['common/rows.csv', 'game/bodies/order.json', 'game/experiment.yaml']);
    expect(layout['common/rows.csv']).toBe('id\n1\n2\n3\n');
    // The experiment's relative paths resolve in the mount as on disk.
    const spec = (parse(layout['game/experiment.yaml']!) as { spec: { load: { data: { file: string }; requests: Array<{ bodyFile: string }> } } }).spec.load;
    expect(path.posix.join('game', spec.data.file)).toBe('common/rows.csv');
    expect(path.posix.join('game', spec.requests[0]!.bodyFile)).toBe('game/bodies/order.json');
    for (const key of Object.keys(data)) expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
  });

  it('provider local: the mesh runs in the pod, so no Role, no RoleBinding and no token; a manifests directory is mounted as its files', async () => {
    const { objects, notes } = await buildSchedule(await runnable('local/experiment.yaml'), { ...base, reports: { kind: 'none' } });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'CronJob']);
    expect(notes.join('\n')).toMatch(/provider local makes no Kubernetes request: no Role/);
    const pod = podOf(objects);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes.find((v) => v.name === 'files')!.configMap!.items.map((i) => i.path).sort()).toEqual([
      'experiment.yaml',
      'manifests/reviews-destination-rule.yaml',
      'manifests/reviews-virtual-service.yaml',
    ]);
    // --no-pvc: an emptyDir, and result.json in the pod's log.
    expect(pod.volumes.find((v) => v.name === 'reports')).toEqual({ name: 'reports', emptyDir: {} });
    expect(pod.containers[0]!.args).toEqual(['run', 'files/experiment.yaml', '--no-progress', '--output', 'json']);
  });

  it('gateway-api with distributed load elsewhere: each namespace gets exactly its rules, bound to the one ServiceAccount', async () => {
    const { objects } = await buildSchedule(await runnable('distributed/experiment.yaml'), { ...base, namespace: 'ops', name: 'nightly', timeZone: 'Europe/Berlin', reports: { kind: 'existing', claim: 'shared-reports' } });
    const roles = Object.fromEntries(byKind(objects, 'Role').map((r) => [r.metadata.namespace, r['rules']]));
    expect(roles).toEqual({
      load: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'delete'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'create', 'delete'] },
      ],
      shop: [
        { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ['get', 'list', 'patch'] },
        { apiGroups: ['networking.istio.io'], resources: ['destinationrules'], verbs: ['get', 'list', 'patch'] },
      ],
    });
    for (const b of byKind(objects, 'RoleBinding')) expect(b['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'nightly', namespace: 'ops' }]);
    expect(byKind(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(podOf(objects).volumes.find((v) => v.name === 'reports')!.persistentVolumeClaim).toEqual({ claimName: 'shared-reports' });
    const cron = byKind(objects, 'CronJob')[0]!;
    expect(cron.metadata.namespace).toBe('ops');
    // Three 60 s steps plus a 15 s settle each: 225 s × 1.2 + 600 s.
    expect(cron.spec).toMatchObject({ timeZone: 'Europe/Berlin', jobTemplate: { spec: { activeDeadlineSeconds: 870 } } });
  });

  it('is deterministic: the same file and flags give the same objects', async () => {
    const r = await runnable('game/experiment.yaml');
    expect((await buildSchedule(r, base)).objects).toEqual((await buildSchedule(r, base)).objects);
  });
});

describe('mesh-exp schedule refusals (exit 2)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-schedule-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const refused = async (r: Runnable, o: ScheduleOptions) => {
    const err = await buildSchedule(r, o).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  };

  it('files over the 1 MiB a ConfigMap holds, naming the biggest', async () => {
    await writeFile(path.join(dir, 'rows.csv'), `id\n${'123456789012345678\n'.repeat(60_000)}`);
    const text = await readFile(path.join(FIXTURES, 'game/experiment.yaml'), 'utf8');
    await writeFile(path.join(dir, 'big.yaml'), text.replace('../common/rows.csv', 'rows.csv').replace(/bodyFile: .*/, 'body: "{}"'));
    const err = await refused(await runnable(path.join(dir, 'big.yaml')), base);
    expect(err.message).toMatch(/the run's 2 files take 1\.\d MiB, over the 1 MiB a ConfigMap holds \(biggest: rows\.csv 1\.\d MiB/);
  });

  it('an absolute path in the file (it would not point into the mount)', async () => {
    const text = await readFile(path.join(FIXTURES, 'game/experiment.yaml'), 'utf8');
    await writeFile(path.join(dir, 'abs.yaml'), text.replace('../common/rows.csv', path.join(FIXTURES, 'common/rows.csv')).replace(/bodyFile: .*/, 'body: "{}"'));
    expect((await refused(await runnable(path.join(dir, 'abs.yaml')), base)).message).toMatch(/spec\.load\.data\.file is an absolute path/);
  });

  it('a loopback spec.local.attach (inside the pod that is the pod)', async () => {
    const text = await readFile(path.join(FIXTURES, 'local/experiment.yaml'), 'utf8');
    await writeFile(path.join(dir, 'attach.yaml'), text.replace('manifests: [manifests]', 'attach: http://127.0.0.1:15020'));
    expect((await refused(await runnable(path.join(dir, 'attach.yaml')), base)).message).toMatch(/spec\.local\.attach is http:\/\/127\.0\.0\.1:15020, a loopback address/);
  });

  it.each([
    [{ cron: '0 3 * *' }, /--cron "0 3 \* \*": expected 5 fields/],
    [{ cron: '0 3 * * 8' }, /field 5 \(day-of-week\) "8"/],
    [{ name: 'a'.repeat(53) }, /--name "a{53}" is not a Kubernetes name: .* at most 52/],
    [{ namespace: 'Shop' }, /-n "Shop" is not a Kubernetes name/],
    [{ image: 'Not An Image' }, /--image "Not An Image" is not an image reference/],
    [{ reports: { kind: 'create', size: 'lots' } }, /--reports-size "lots" is not a Kubernetes quantity/],
    [{ timeZone: 'Nowhere/Special' }, /--time-zone "Nowhere\/Special"/],
  ] as const)('flags: %j', async (flags, message) => {
    expect((await refused(await runnable('game/experiment.yaml'), { ...base, ...flags } as ScheduleOptions)).message).toMatch(message);
  });
});
