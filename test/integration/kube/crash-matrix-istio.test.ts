/**
 * Crash matrix, provider istio against a real kube-apiserver (one localkube for every point): the
 * run (test/fixtures/crash/istio.yaml, its load going to a server of this test) is a child process
 * killed with SIGKILL at every failpoint it passes, the promotion's points with promote: true.
 * After each kill, `mesh-exp recover <dir>` (in this process) must leave the VirtualService exactly
 * as the user wrote it (spec, labels, annotations; after the promotion is journaled, the promoted
 * spec with the user's labels and annotations), write the partial report when a step had finished,
 * and a second recover must find nothing to do. Prints the "crash-matrix: istio" tally.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { type OwnedObject, userOwned } from '../../../src/traffic/kube-owned.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { PROMOTE_POINTS, createTally, finishedSteps, reportProblems, restoreRunPoints, tallyLine } from '../../support/crash-matrix.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { alternatingVersions, startTestServer, type TestServer } from '../../support/load-test-server.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';

const NS = 'storefront';
const read = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;
const FIXTURE = read('test/fixtures/kube-istio/reviews-vs.yaml');
const tally = createTally();
let wallMs = 0;

describe.skipIf(!localKubeAvailable('the istio crash matrix'))('crash matrix: provider istio on localkube', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let server: TestServer;
  let work: string;
  let kubeconfig: string;
  const experiments = { restore: '', promote: '' };
  let original: OwnedObject;
  let promoted: OwnedObject;
  let n = 0;
  const owned = (o: KubeObject) => userOwned<OwnedObject>(o, VIRTUAL_SERVICE);
  const live = async () => (await admin.get(VIRTUAL_SERVICE, NS, FIXTURE.metadata.name))!;

  beforeAll(async () => {
    buildCli();
    kube = await startLocalKube({ crds: 'istio', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    kubeconfig = kube.kubeconfigPath('admin');
    const rule = read('test/fixtures/bookinfo/destination-rule-reviews.yaml');
    await admin.create(DESTINATION_RULE, NS, { ...rule, metadata: { ...rule.metadata, namespace: NS } });
    server = await startTestServer(alternatingVersions);
    work = mkdtempSync(path.join(tmpdir(), 'mesh-exp-crash-istio-'));
    const text = readFileSync(path.join(REPO_ROOT, 'test/fixtures/crash/istio.yaml'), 'utf8').replaceAll('http://127.0.0.1:9/', `${server.url}/`);
    experiments.restore = path.join(work, 'istio.yaml');
    experiments.promote = path.join(work, 'istio-promote.yaml');
    writeFileSync(experiments.restore, text);
    writeFileSync(experiments.promote, text.replace(/^(\s+)promote: false$/m, '$1promote: true'));
    original = owned(await recreate(admin, VIRTUAL_SERVICE, NS, FIXTURE));
  }, 180_000);
  afterAll(async () => {
    process.stdout.write(`\n${tallyLine('istio', tally, wallMs)}\n`);
    await server?.close();
    await kube?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = (experiment: string, runDir: string, env: Record<string, string> = {}) =>
    spawnCli(['run', experiment, '--kubeconfig', kubeconfig, '--report-dir', runDir, '--no-progress'], { env });

  it('a whole promoting run passes and promotes (what the kills after "promoted" must leave)', async () => {
    const exit = await run(experiments.promote, path.join(work, 'promote-baseline')).exit;
    expect(exit.code, exit.stderr).toBe(0);
    promoted = owned(await live());
    expect(promoted.metadata).toEqual(original.metadata);
    expect(promoted).not.toEqual(original);
    await recreate(admin, VIRTUAL_SERVICE, NS, FIXTURE);
  }, 60_000);

  /** Kills the run at `point`, recovers, checks; problems go to the tally. */
  async function killAndRecover(experiment: string, point: string, expected: OwnedObject): Promise<void> {
    const runDir = path.join(work, `kill-${++n}-${point.replace(':', '-')}`);
    const fail = (what: string): void => void tally.problems.push(`${point}: ${what}`);
    const exit = await run(experiment, runDir, { MESH_EXP_FAILPOINT: point }).exit;
    tally.tried++;
    if (exit.signal !== 'SIGKILL') return fail(`the failpoint was not reached (exit ${exit.code}): ${exit.stderr.slice(-300)}`);
    const steps = await finishedSteps(runDir);
    const hadResult = existsSync(path.join(runDir, 'result.json'));
    const recovered = await runCliInProcess(['recover', runDir, '--kubeconfig', kubeconfig]);
    if (recovered.code !== 0) return fail(`recover exited ${recovered.code}: ${recovered.stderr}`);
    const now = owned(await live());
    if (!isDeepStrictEqual(now, expected)) return fail(`the VirtualService is not as expected after recover: ${JSON.stringify(now)}`);
    const report = reportProblems(runDir, steps, hadResult, recovered.stdout);
    if (report.length) return report.forEach(fail);
    if (steps > 0 && !hadResult) tally.partialReports++;
    const again = await runCliInProcess(['recover', runDir, '--kubeconfig', kubeconfig]);
    if (again.code !== 0 || !`${again.stdout}`.includes('nothing to recover')) return fail(`a second recover did not say "nothing to recover": ${again.stdout}`);
    tally.restored++;
  }

  it('SIGKILL at every failpoint, then recover: the VirtualService exactly as written, the finished steps reported', async () => {
    const t0 = Date.now();
    for (const point of restoreRunPoints(2, { claim: true, midRestore: true })) await killAndRecover(experiments.restore, point, original);
    for (const point of PROMOTE_POINTS) {
      await killAndRecover(experiments.promote, point, point === 'after-promoted' ? promoted : original);
      await recreate(admin, VIRTUAL_SERVICE, NS, FIXTURE);
    }
    wallMs = Date.now() - t0;
    expect(tally.problems).toEqual([]);
    expect(tally.restored).toBe(tally.tried);
    expect(tally.partialReports).toBeGreaterThan(tally.tried / 2);
  }, 400_000);
});
