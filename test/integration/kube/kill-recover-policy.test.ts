/**
 * A run with `traffic.policy` (provider istio) killed with SIGKILL at the points where the
 * DestinationRule differs from the user's — claimed (marked), a step applied (marked and the v2
 * subset's connectionPool set), and mid-restore (the VirtualService already restored, the rule not
 * yet) — then `mesh-exp recover` against a real kube-apiserver: both objects are exactly what the
 * user wrote again (from the journal's snapshot, `policyOriginal`), and a second recover finds
 * nothing to do; killed after a promotion was journaled, recover removes both marks and nothing
 * else. The full failpoint matrix stays in crash-matrix-istio.test.ts; these are the
 * points the DestinationRule adds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { DestinationRule } from '../../../src/istio/types.js';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, type ResourceType, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';

const NS = 'policy';
const read = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;
const RULE = read('test/fixtures/kube-policy/destination-rule.yaml');
const VS = read('test/fixtures/kube-policy/virtual-service.yaml');
const EXPERIMENT = path.join(REPO_ROOT, 'test/fixtures/kube-policy/experiment-crash.yaml');
const poolOfV2 = (o: KubeObject) => (o.spec as DestinationRule['spec']).subsets?.find((s) => s.name === 'v2')?.trafficPolicy?.connectionPool;

describe.skipIf(!localKubeAvailable('the traffic.policy kill-and-recover tests'))('SIGKILL with traffic.policy, then mesh-exp recover (localkube)', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let work: string;

  beforeAll(async () => {
    buildCli();
    kube = await startLocalKube({ crds: 'istio', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    work = mkdtempSync(path.join(tmpdir(), 'mesh-exp-kill-policy-'));
  }, 180_000);
  afterAll(async () => {
    await kube?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const live = async (type: ResourceType, name: string) => (await admin.get(type, NS, name))!;
  const exactly = (now: KubeObject, original: KubeObject, type: ResourceType) => {
    expect(userOwned(now, type)).toEqual(userOwned(original, type));
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);
  };

  it.each([
    { point: 'after-claim', pool: false },
    { point: 'after-apply:1', pool: true },
    { point: 'mid-restore', pool: true },
  ])('killed at $point: recover restores the DestinationRule and the VirtualService exactly', async ({ point, pool }) => {
    const rule = await recreate(admin, DESTINATION_RULE, NS, RULE);
    const vs = await recreate(admin, VIRTUAL_SERVICE, NS, VS);
    const dir = path.join(work, point.replace(':', '-'));
    const kubeconfig = kube.kubeconfigPath('admin');
    const killed = await spawnCli(['run', EXPERIMENT, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: point } }).exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = await live(DESTINATION_RULE, 'reviews');
    expect(left.metadata.annotations?.[OWNER_ANNOTATION]).toBe(path.join(dir, 'journal.jsonl'));
    expect(poolOfV2(left)).toEqual(pool ? { tcp: { maxConnections: 1 } } : undefined);
    // Mid-restore the VirtualService is already the user's (its mark gone): only the rule is left to recover.
    if (point === 'mid-restore') exactly(await live(VIRTUAL_SERVICE, 'reviews'), vs, VIRTUAL_SERVICE);
    // The journal holds the rule as the user wrote it.
    const snapshot = readFileSync(path.join(dir, 'journal.jsonl'), 'utf8').split('\n').map((l) => (l ? (JSON.parse(l) as { type: string; policyOriginal?: KubeObject }) : undefined)).find((e) => e?.type === 'snapshot');
    expect(snapshot?.policyOriginal).toEqual(userOwned(rule, DESTINATION_RULE));

    const recovered = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(recovered.code, recovered.stderr).toBe(0);
    exactly(await live(DESTINATION_RULE, 'reviews'), rule, DESTINATION_RULE);
    exactly(await live(VIRTUAL_SERVICE, 'reviews'), vs, VIRTUAL_SERVICE);
    const again = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(again.code).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toMatch(/nothing to recover/);
  }, 60_000);

  it('killed after the promotion was journaled: recover removes the marks only; the rule is the user\'s, the routes promoted', async () => {
    const rule = await recreate(admin, DESTINATION_RULE, NS, RULE);
    await recreate(admin, VIRTUAL_SERVICE, NS, VS);
    const promoting = path.join(work, 'promote.yaml');
    writeFileSync(promoting, readFileSync(EXPERIMENT, 'utf8').replace('promote: false', 'promote: true'));
    const dir = path.join(work, 'after-promoted');
    const kubeconfig = kube.kubeconfigPath('admin');
    const killed = await spawnCli(['run', promoting, '--kubeconfig', kubeconfig, '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'after-promoted' } }).exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    // The promotion drops the policy: the rule's spec is the user's, only the mark is left.
    const left = await live(DESTINATION_RULE, 'reviews');
    expect(left.metadata.annotations?.[OWNER_ANNOTATION]).toBe(path.join(dir, 'journal.jsonl'));
    expect(left.spec).toEqual(rule.spec);
    const recovered = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(recovered.code, recovered.stderr).toBe(0);
    exactly(await live(DESTINATION_RULE, 'reviews'), rule, DESTINATION_RULE);
    const vs = await live(VIRTUAL_SERVICE, 'reviews');
    expect(vs.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
    expect((vs.spec as { http: { name: string; route: { weight?: number }[] }[] }).http.find((r) => r.name === 'primary')!.route.map((d) => d.weight)).toEqual([0, 100]);
  }, 60_000);
});
