/**
 * A game day scheduled with `mesh-exp schedule` against a real kube-apiserver authorizing with RBAC
 * (localkube), and its CronJob's container command run as its pod would run it (see
 * `test/support/scheduled-pod-run.ts`: the ConfigMap's files, the generated ServiceAccount's token,
 * in-cluster configuration). The day: a canary and a fault, provider istio, their namespace and load
 * from the day's defaults, against a local mesh that follows the API server's VirtualService. With
 * only the generated Role bound both pass and the day's combined reports land on the reports mount;
 * without "patch" the first experiment fails naming the verb, the resource and the namespace, the
 * day ends with exit 3, and the rest is skipped, or run when the entry says continueOnFailure.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import type { KubeMesh } from '../../../src/mesh/kube-mesh.js';
import type { GameDayResult } from '../../../src/model/gameday-result.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { freePort } from '../../support/free-port.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { GOOD_BACKEND, startReviewsMesh } from '../../support/reviews-kube-mesh.js';
import { accessAllowed, dropRoleVerb, runScheduledPod, untilAccess } from '../../support/scheduled-pod-run.js';

describe.skipIf(!localKubeAvailable('the scheduled game-day tests'))('a scheduled game day: a canary and a fault (provider istio) through a mesh that follows the API server', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let work: string;
  const DAY_NS = 'reviews-day';
  const DAY = 'reviews-game-day';
  const account = { name: DAY, namespace: DAY_NS };
  const E2E = path.join(REPO_ROOT, 'test/fixtures/kube-e2e');
  let km: KubeMesh;
  let dayFile: string;
  let dayVs: KubeObject;

  beforeAll(async () => {
    kube = await startLocalKube({ namespace: DAY_NS, rbac: true });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    work = await mkdtemp(path.join(tmpdir(), 'mesh-exp-schedule-day-'));
    const e2e = async (name: string) => parse(await readFile(path.join(E2E, name), 'utf8')) as KubeObject;
    await admin.create(DESTINATION_RULE, DAY_NS, await e2e('destination-rule.yaml'));
    dayVs = await e2e('virtual-service.yaml');
    await admin.create(VIRTUAL_SERVICE, DAY_NS, dayVs);
    // The cluster's mesh (not the scheduled run) watches with the admin's kubeconfig.
    km = await startReviewsMesh({ kubeconfig: kube.kubeconfigPath('admin'), namespace: DAY_NS, adminPort: await freePort(), v2: GOOD_BACKEND });
    // The day's files in a directory of their own, the experiments in a subdirectory: the relative layout must survive the ConfigMap.
    const dir = path.join(work, 'day');
    await mkdir(path.join(dir, 'experiments'), { recursive: true });
    const target = { provider: 'istio', virtualService: 'reviews', route: 'primary', host: 'reviews', stable: 'v1', canary: 'v2' };
    const experiment = (name: string, spec: object) => stringify({ apiVersion: 'mesh-exp.dev/v1alpha1', kind: 'Experiment', metadata: { name }, spec: { target, ...spec } });
    await writeFile(path.join(dir, 'experiments/canary.yaml'), experiment('day-canary', { traffic: { shift: { steps: [50, 100], interval: '2s' } }, slos: [{ kind: 'error-rate', subject: 'canary', max: '1%' }], analysis: { minSamples: 10 } }));
    // Every request is aborted with 503 by the fault route the run inserts: the mesh must honour it for the SLO (errors at most 100%) to see errors.
    await writeFile(path.join(dir, 'experiments/fault.yaml'), experiment('day-fault', { traffic: { fault: { abort: { httpStatus: 503, percentage: 100 }, duration: '2s' } }, slos: [{ kind: 'error-rate', subject: 'all', max: '100%' }] }));
    dayFile = path.join(dir, 'gameday.yaml');
    await writeFile(
      dayFile,
      stringify({
        apiVersion: 'mesh-exp.dev/v1alpha1',
        kind: 'GameDay',
        metadata: { name: DAY },
        // The experiments set no namespace and no load: the day's defaults give both.
        spec: { defaults: { namespace: DAY_NS, load: { url: `${km.mesh.url}/reviews/1`, host: 'reviews', rate: 50 } }, experiments: [{ path: 'experiments/canary.yaml' }, { path: 'experiments/fault.yaml' }] },
      }),
    );
  }, 60_000);
  afterAll(async () => km?.close());
  beforeEach(async () => {
    await recreate(admin, VIRTUAL_SERVICE, DAY_NS, dayVs);
  });

  const scheduleDay = (...extra: string[]) => runCliInProcess(['schedule', dayFile, '--cron', '0 4 * * 6', ...extra, '--kubeconfig', kube.kubeconfigPath('admin')]);

  it('--apply; the pod\'s command, with only the generated Role, runs the day: verdict, and the combined reports on the reports volume', async () => {
    const applied = await scheduleDay('--apply');
    expect(applied.code, applied.stderr).toBe(0);
    // Named after the game day, in the namespace its defaults give its experiments.
    expect(applied.stdout.trim().split('\n')).toEqual(
      ['serviceaccount', 'role', 'rolebinding', 'configmap', 'persistentvolumeclaim', 'cronjob'].map((k) => `${k}/${k === 'persistentvolumeclaim' ? `${DAY}-reports` : DAY} in ${DAY_NS}: created`),
    );
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const cm = await kube.kubeConfig('admin').makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: DAY, namespace: DAY_NS });
    expect(Object.keys(cm.data!).map((k) => k.replace(/^\d+-/, '')).sort()).toEqual(['experiments_canary.yaml', 'experiments_fault.yaml', 'gameday.yaml']);
    await untilAccess(kube, account, 'patch', 'virtualservices', true);
    expect(await accessAllowed(kube, account, 'delete', 'virtualservices')).toBe(false);

    const pod = await runScheduledPod(kube, account);
    try {
      expect(pod.code, pod.stdout + pod.stderr).toBe(0);
      expect(pod.stdout).toMatch(/^\s+1\. PASSED day-canary: /m);
      expect(pod.stdout).toMatch(/^\s+2\. PASSED day-fault: /m);
      expect(pod.stdout).toMatch(/GAME DAY PASSED/);
      // The day's directory (its experiments' run directories inside it), and the history's index beside it.
      const [index, dir, ...others] = (await readdir(pod.reports)).sort();
      expect([index, others]).toEqual(['index.jsonl', []]);
      expect(dir).toMatch(/^reviews-game-day-\d{8}-\d{6}$/);
      expect((await readdir(path.join(pod.reports, dir!))).filter((f) => /^\d\d-/.test(f)).sort()).toEqual(['01-day-canary', '02-day-fault']);
      const day = path.join(pod.reports, dir!);
      const result = JSON.parse(await readFile(path.join(day, 'result.json'), 'utf8')) as GameDayResult;
      expect(result).toMatchObject({ name: DAY, verdict: 'pass', exitCode: 0 });
      expect(result.experiments.map((e) => [e.name, e.status, e.restored])).toEqual([
        ['day-canary', 'passed', true],
        ['day-fault', 'passed', true],
      ]);
      const junit = await readFile(path.join(day, 'junit.xml'), 'utf8');
      expect(junit.match(/<testsuite /g)).toHaveLength(2);
      expect(junit).toMatch(/<testsuites [^>]*failures="0"[^>]*errors="0"/);
      expect(await readFile(path.join(day, 'index.html'), 'utf8')).toMatch(/day-canary[\s\S]*day-fault/);
      // The fault really went through the mesh: the fault experiment's load saw the 503s.
      const fault = JSON.parse(await readFile(path.join(day, result.experiments[1]!.runDir!, 'result.json'), 'utf8')) as { steps: Array<{ stats: Array<{ version: string; count: number; errors: number }> }> };
      const all = fault.steps.flatMap((st) => st.stats.filter((x) => x.version === 'all'));
      expect(all.reduce((n, x) => n + x.errors, 0)).toBeGreaterThan(0);
      // The canary was promoted and the fault route taken out again.
      const live = (await admin.get(VIRTUAL_SERVICE, DAY_NS, 'reviews'))!;
      const http = (live.spec as { http: Array<{ name?: string; route: Array<{ destination: { subset: string }; weight?: number }> }> }).http;
      expect(http.map((r) => r.name)).toEqual(['primary']);
      expect(Object.fromEntries(http[0]!.route.map((d) => [d.destination.subset, d.weight ?? 0]))).toEqual({ v1: 0, v2: 100 });
      expect(live.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
    } finally {
      await rm(pod.root, { recursive: true, force: true });
    }
  }, 90_000);

  /** Runs the pod's command; returns its exit code, its output and the statuses of the day's result.json. */
  const runDay = async () => {
    const pod = await runScheduledPod(kube, account);
    try {
      const dir = (await readdir(pod.reports)).find((f) => f.startsWith(`${DAY}-`));
      const result = JSON.parse(await readFile(path.join(pod.reports, dir!, 'result.json'), 'utf8')) as GameDayResult;
      return { ...pod, result };
    } finally {
      await rm(pod.root, { recursive: true, force: true });
    }
  };

  it('without "patch" in the generated Role the first experiment fails naming the verb, the resource and the namespace; the day ends with exit 3, the rest skipped (or run, with continueOnFailure)', async () => {
    expect((await scheduleDay('--apply')).code).toBe(0);
    await dropRoleVerb(kube, account, 'patch');
    const before = userOwned((await admin.get(VIRTUAL_SERVICE, DAY_NS, 'reviews'))!, VIRTUAL_SERVICE);
    const pod = await runDay();
    expect(pod.code, pod.stdout + pod.stderr).toBe(3);
    expect(pod.stdout).toMatch(new RegExp(`^\\s+1\\. ERROR day-canary: forbidden: cannot patch virtualservices\\.networking\\.istio\\.io "reviews" in namespace ${DAY_NS}.*system:serviceaccount:${DAY_NS}:${DAY}`, 'm'));
    // The hint a run alone prints under its error stays in the day's line.
    expect(pod.stdout).toMatch(/^\s+1\. ERROR day-canary: .*; hint: .*grant the verb "patch" on virtualservices\.networking\.istio\.io/m);
    expect(pod.stdout).toMatch(/^\s+2\. SKIPPED day-fault: /m);
    expect(pod.stdout).toMatch(/GAME DAY FAILED/);
    expect(pod.stdout + pod.stderr).not.toMatch(/^\s+at /m);
    expect(pod.result).toMatchObject({ verdict: 'fail', exitCode: 3 });
    expect(pod.result.experiments.map((e) => e.status)).toEqual(['error', 'skipped']);
    expect(userOwned((await admin.get(VIRTUAL_SERVICE, DAY_NS, 'reviews'))!, VIRTUAL_SERVICE)).toEqual(before);

    // continueOnFailure on the first: the second runs too, and meets the same missing verb.
    const text = await readFile(dayFile, 'utf8');
    const day = parse(text) as { spec: { experiments: Array<{ continueOnFailure?: boolean }> } };
    day.spec.experiments[0]!.continueOnFailure = true;
    await writeFile(dayFile, stringify(day));
    try {
      const changed = await scheduleDay('--apply');
      expect(changed.stdout).toMatch(new RegExp(`^configmap/${DAY} in ${DAY_NS}: configured$`, 'm'));
      await dropRoleVerb(kube, account, 'patch');
      const going = await runDay();
      expect(going.code, going.stdout + going.stderr).toBe(3);
      expect(going.result.experiments.map((e) => e.status)).toEqual(['error', 'error']);
      expect(going.stdout).toMatch(/^\s+2\. ERROR day-fault: forbidden: cannot patch virtualservices/m);
    } finally {
      await writeFile(dayFile, text);
    }
    const fixed = await scheduleDay('--apply');
    expect(fixed.stdout).toMatch(new RegExp(`^role/${DAY} in ${DAY_NS}: configured$`, 'm'));
    await untilAccess(kube, account, 'patch', 'virtualservices', true);
  }, 90_000);
});
