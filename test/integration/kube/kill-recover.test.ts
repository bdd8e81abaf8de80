/**
 * A run of each Kubernetes provider killed with SIGKILL mid-rollout (failpoint after the first
 * step's patch: the object carries the run's mark and the step's weights), then `mesh-exp recover`
 * against the real kube-apiserver: the object is exactly what the user wrote again, a second
 * recover finds nothing to do, and a new run is refused while the mark is on it (before recover).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, HTTP_ROUTE, type KubeObject, type ResourceType, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';

const NS = 'storefront';
const read = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;

interface Case {
  provider: string;
  type: ResourceType;
  fixture: KubeObject;
  experiment: string;
}
const cases: Case[] = [
  { provider: 'istio', type: VIRTUAL_SERVICE, fixture: read('test/fixtures/kube-istio/reviews-vs.yaml'), experiment: 'test/fixtures/kube-rbac/experiment.yaml' },
  { provider: 'gateway-api', type: HTTP_ROUTE, fixture: read('test/fixtures/kube-gateway/reviews-httproute.yaml'), experiment: 'test/fixtures/kube-gateway/experiment.yaml' },
];

describe.skipIf(!localKubeAvailable('the kube kill-and-recover tests', 'istio+gateway'))('SIGKILL mid-rollout, then mesh-exp recover, against a real kube-apiserver', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let work: string;

  beforeAll(async () => {
    buildCli();
    kube = await startLocalKube({ crds: 'istio+gateway', namespace: NS });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    const rule = read('test/fixtures/bookinfo/destination-rule-reviews.yaml');
    await admin.create(DESTINATION_RULE, NS, { ...rule, metadata: { ...rule.metadata, namespace: NS } });
    work = mkdtempSync(path.join(tmpdir(), 'mesh-exp-kube-recover-'));
  }, 180_000);
  afterAll(async () => {
    await kube?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(cases)('provider $provider: the killed run left its step and mark; recover restores the object exactly', async ({ provider, type, fixture, experiment }) => {
    const original = await recreate(admin, type, NS, fixture);
    const owned = (o: KubeObject) => userOwned(o, type);
    const live = async () => (await admin.get(type, NS, fixture.metadata.name))!;
    const dir = path.join(work, provider);
    const kubeconfig = kube.kubeconfigPath('admin');

    const { exit } = spawnCli(['run', path.join(REPO_ROOT, experiment), '--kubeconfig', kubeconfig, '--report-dir', dir], {
      env: { MESH_EXP_FAILPOINT: 'after-apply' },
    });
    const killed = await exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = await live();
    expect(left.metadata.annotations?.[OWNER_ANNOTATION]).toBe(path.join(dir, 'journal.jsonl'));
    expect(owned(left)).not.toEqual(owned(original));

    // While the mark is on it, another run is refused (exit 5) and names the way out.
    const refused = await runCliInProcess(['run', experiment, '--kubeconfig', kubeconfig, '--report-dir', path.join(work, `${provider}-refused`)]);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toMatch(/mesh-exp recover/);

    const recovered = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(recovered.code, recovered.stderr).toBe(0);
    const now = await live();
    expect(owned(now)).toEqual(owned(original));
    expect(now.metadata.annotations).toEqual(original.metadata.annotations);

    const again = await runCliInProcess(['recover', dir, '--kubeconfig', kubeconfig]);
    expect(again.code).toBe(0);
    expect(`${again.stdout}${again.stderr}`).toMatch(/nothing to recover/);
  }, 90_000);
});
