/**
 * `traffic.policy` through the Kubernetes API: `mesh-exp run` (in-process CLI) with provider istio,
 * then gateway-api, against a real kube-apiserver (localkube, Istio's and the Gateway API's real
 * CRDs). While the step runs the DestinationRule carries the experiment's connectionPool (read back
 * from the API server), someone else edits another part of the rule, and the restore puts the
 * managed trafficPolicy back exactly while that edit survives. With istio, the local mesh following
 * the API server (`mesh-exp mesh --kubeconfig`'s kube-mesh) enforces the limit during the step: a
 * burst at the canary gets 503 with flag UO (x-envoy-overloaded), and none after the run.
 * The Role the limited user gets is exactly the provider's declared `rbac`, as `mesh-exp schedule`
 * builds it: DestinationRule get/list/patch are all a policy needs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { DestinationRule } from '../../../src/istio/types.js';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, HTTP_ROUTE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import type { KubeMesh } from '../../../src/mesh/kube-mesh.js';
import type { RunResult } from '../../../src/model/result.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { OWNER_ANNOTATION } from '../../../src/traffic/ownership.js';
import { createDefaultTrafficRegistry } from '../../../src/traffic/registry.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { freePort } from '../../support/free-port.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { client } from '../../support/mesh.js';
import { startReviewsMesh } from '../../support/reviews-kube-mesh.js';

const NS = 'policy';
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/kube-policy');
const fixture = async (file: string) => parse(await readFile(path.join(REPO_ROOT, file), 'utf8')) as KubeObject;
const owned = (o: KubeObject) => userOwned<DestinationRule>(o, DESTINATION_RULE);
const POOL = { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } };
/** Someone else's edit during the run, outside the managed trafficPolicy: a field `path` of the spec. */
type OtherEdit = { op: 'add'; path: `/spec/${string}`; value: unknown };
// istio manages subset v2's trafficPolicy: the user adds a top-level one.
const TOP_LEVEL_POLICY: OtherEdit = { op: 'add', path: '/spec/trafficPolicy', value: { outlierDetection: { consecutive5xxErrors: 9 } } };
// gateway-api (no subset) manages the top-level trafficPolicy: the user adds subsets.
const SUBSETS: OtherEdit = { op: 'add', path: '/spec/subsets', value: [{ name: 'canary', labels: { version: 'v2' } }] };

const pollFor = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = await fn();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(!localKubeAvailable('the traffic.policy run tests', 'istio+gateway'))('traffic.policy through the Kubernetes providers (localkube, CLI)', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let rbac: import('@kubernetes/client-node').RbacAuthorizationV1Api;
  let work: string;
  let km: KubeMesh | undefined;

  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio+gateway', namespace: NS, rbac: true });
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    const { RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
    rbac = kube.kubeConfig('admin').makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRoleBinding({ namespace: NS, body: { metadata: { name: 'mesh-exp' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mesh-exp' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mesh-exp' }] } });
    work = await mkdtemp(path.join(tmpdir(), 'mesh-exp-policy-'));
  }, 120_000);
  afterAll(async () => {
    await kube?.dispose();
    if (work) await rm(work, { recursive: true, force: true });
  });
  afterEach(async () => {
    await km?.close();
    km = undefined;
  });

  /** The Role of exactly `provider`'s declared rules (what `mesh-exp schedule` gives a scheduled run); waits until it is in force. */
  const grantDeclared = async (provider: string) => {
    await rbac.deleteNamespacedRole({ namespace: NS, name: 'mesh-exp' }).catch(() => undefined);
    const rules = createDefaultTrafficRegistry().get(provider).rbac.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
    await rbac.createNamespacedRole({ namespace: NS, body: { metadata: { name: 'mesh-exp' }, rules } });
    const user = await createCustomObjects(kube.kubeConfig('user'));
    await pollFor('the Role', () => user.get(DESTINATION_RULE, NS, 'absent').then(() => true, (e: { status?: number }) => (e.status === 404 ? true : undefined)));
  };
  const create = async (type: typeof DESTINATION_RULE, o: KubeObject) => {
    await admin.delete(type, NS, o.metadata.name);
    return admin.create(type, NS, { ...o, metadata: { ...o.metadata, namespace: NS } });
  };
  const rule = async (name: string) => (await admin.get(DESTINATION_RULE, NS, name))!;
  /** Runs `mesh-exp run` on the experiment fixture (its policy changed by `change`) as the limited user. */
  const runCli = async (name: string, change: (policy: Record<string, unknown>) => void = () => {}, dir = name) => {
    const doc = await fixture(`test/fixtures/kube-policy/${name}.yaml`);
    change((doc['spec'] as { traffic: { policy: Record<string, unknown> } }).traffic.policy);
    const file = path.join(work, `${dir}.yaml`);
    await writeFile(file, stringify(doc));
    const reportDir = path.join(work, dir);
    return { ...(await runCliInProcess(['run', file, '--kubeconfig', kube.kubeconfigPath('user'), '--report-dir', reportDir, '--no-progress'])), reportDir };
  };
  /** Runs the experiment fixture; resolves with the outcome and result.json. */
  const run = async (name: string) => {
    const out = await runCli(name);
    return { ...out, result: JSON.parse(await readFile(path.join(out.reportDir, 'result.json'), 'utf8')) as RunResult };
  };
  /** Waits for the run's policy on `name` (at `at` in its spec); resolves the rule as the step has it. */
  const duringStep = (name: string, at: (spec: DestinationRule['spec']) => unknown) =>
    pollFor('the policy in the DestinationRule', async () => {
      const live = await rule(name);
      return (at(live.spec as DestinationRule['spec']) as { connectionPool?: unknown } | undefined)?.connectionPool ? live : undefined;
    });
  /** Someone else edits `name` during the run. */
  const editBySomeoneElse = (name: string, edit: OtherEdit) => admin.patch(DESTINATION_RULE, NS, name, [edit]);
  /** The rule is the original exactly, plus the other edit, and without the run's mark. */
  const expectRestored = async (name: string, original: KubeObject, edit: OtherEdit) => {
    const after = await rule(name);
    const expected = owned(original);
    (expected.spec as Record<string, unknown>)[edit.path.split('/')[2]!] = edit.value;
    expect(owned(after)).toEqual(expected);
    expect(after.metadata.annotations?.[OWNER_ANNOTATION]).toBeUndefined();
  };

  it('provider istio: the subset carries the connectionPool during the step, the mesh enforces it, the rule comes back exactly with the other edit', async () => {
    await grantDeclared('istio');
    const original = await create(DESTINATION_RULE, await fixture('test/fixtures/kube-policy/destination-rule.yaml'));
    await create(VIRTUAL_SERVICE, await fixture('test/fixtures/kube-policy/virtual-service.yaml'));
    km = await startReviewsMesh({ kubeconfig: kube.kubeconfigPath('admin'), namespace: NS, adminPort: await freePort(), v2: { latency: { median: 60, p99: 80 }, errorRate: 0 } });
    const http = client(km.mesh, 32);
    const burst = () => http.many(40, 20, () => ['reviews', { path: '/reviews/1', headers: { 'x-canary': 'yes' } }]);
    const overflowed = (replies: Awaited<ReturnType<typeof burst>>) => replies.filter((r) => r.status === 503 && r.headers['x-envoy-overloaded'] === 'true').length;
    try {
      expect(overflowed(await burst())).toBe(0);
      const running = run('experiment-istio');
      const during = await duringStep('reviews', (spec) => spec.subsets?.find((s) => s.name === 'v2')?.trafficPolicy);
      // The setting replaced that field only: the user's loadBalancer on v2 is still there.
      expect(during.spec).toMatchObject({ subsets: [{ name: 'v1' }, { name: 'v2', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: POOL } }] });
      expect(during.metadata.annotations?.[OWNER_ANNOTATION]).toMatch(/journal\.jsonl$/);
      // The mesh follows the API server: once it serves the rule, a burst at v2 overflows (503 UO).
      const label = `DestinationRule ${NS}/reviews`;
      await pollFor('the mesh to serve the rule', async () => {
        const dump = (await (await fetch(`${km!.mesh.adminUrl}/config_dump`)).json()) as { kubernetes: { resourceVersions: Record<string, string> } };
        return Number(dump.kubernetes.resourceVersions[label]) >= Number(during.metadata.resourceVersion) ? true : undefined;
      });
      expect(overflowed(await burst())).toBeGreaterThan(0);
      await editBySomeoneElse('reviews', TOP_LEVEL_POLICY);
      const { code, stderr, result } = await running;
      expect(code, stderr).toBe(0);
      expect(result.restored).toBe(true);
      await expectRestored('reviews', original, TOP_LEVEL_POLICY);
      await pollFor('the mesh to serve the restored rule', async () => {
        const dump = (await (await fetch(`${km!.mesh.adminUrl}/config_dump`)).json()) as { kubernetes: { resourceVersions: Record<string, string> } };
        return dump.kubernetes.resourceVersions[label] === (await rule('reviews')).metadata.resourceVersion ? true : undefined;
      });
      expect(overflowed(await burst())).toBe(0);
    } finally {
      await http.close();
    }
  }, 90_000);

  it('provider gateway-api: the named rule of the canary Service carries it during the step and comes back exactly with the other edit', async () => {
    await grantDeclared('gateway-api');
    await create(HTTP_ROUTE, await fixture('test/fixtures/kube-gateway/reviews-httproute.yaml'));
    const original = await create(DESTINATION_RULE, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews-v2', labels: { app: 'reviews' } }, spec: { host: 'reviews-v2' } });
    const running = run('experiment-gateway');
    const during = await duringStep('reviews-v2', (spec) => spec.trafficPolicy);
    await editBySomeoneElse('reviews-v2', SUBSETS);
    expect(during.spec).toEqual({ host: 'reviews-v2', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } });
    const { code, stderr, result } = await running;
    expect(code, stderr).toBe(0);
    expect(result.restored).toBe(true);
    // The rule had no trafficPolicy: the restore removes the one the run added, and only that.
    await expectRestored('reviews-v2', original, SUBSETS);
  }, 60_000);

  it('plan shows the DestinationRule patches; preflight refuses a missing subset and a policy Istio\'s CEL rules reject (server-side dry run), before any change', async () => {
    await grantDeclared('istio');
    const rule0 = await create(DESTINATION_RULE, await fixture('test/fixtures/kube-policy/destination-rule.yaml'));
    const vs0 = await create(VIRTUAL_SERVICE, await fixture('test/fixtures/kube-policy/virtual-service.yaml'));
    const missing = await runCli('experiment-istio', (p) => void (p['subset'] = 'v9'), 'missing-subset');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/DestinationRule reviews has no subset "v9"/);
    expect(missing.stderr).toMatch(/traffic\.policy\.subset names one of its subsets: v1, v2/);
    // connectTimeout must be at least 1ms (the CRD's CEL rule): validation refuses it as the API
    // server would, at its line, before any request (the server-side dry run of a refused patch is
    // covered against an API server in src/traffic/kube-policy-region.test.ts).
    const rejected = await runCli('experiment-istio', (p) => void (p['connectionPool'] = { tcp: { connectTimeout: '0.5ms' } }), 'cel');
    expect(rejected.code).toBe(2);
    expect(rejected.stderr).toMatch(/spec\.traffic\.policy\.connectionPool\.tcp\.connectTimeout: must be at least 1ms/);
    // plan prints the DestinationRule's patches: the step's (a test of the subset's name and of its
    // policy, then the replace) and the restore's.
    const planned = await runCliInProcess(['plan', path.join(REPO_ROOT, 'test/fixtures/kube-policy/experiment-istio.yaml'), '--kubeconfig', kube.kubeconfigPath('user'), '--output', 'json']);
    expect(planned.code, planned.stderr).toBe(0);
    const view = JSON.parse(planned.stdout) as { steps: { policyPatch: unknown[] }[]; policy: { rule: string; restorePatch: unknown[] } };
    const v2 = { loadBalancer: { simple: 'ROUND_ROBIN' } };
    expect(view.steps[0]!.policyPatch).toEqual([
      { op: 'test', path: '/spec/subsets/1/name', value: 'v2' },
      { op: 'test', path: '/spec/subsets/1/trafficPolicy', value: v2 },
      { op: 'replace', path: '/spec/subsets/1/trafficPolicy', value: { ...v2, connectionPool: POOL } },
    ]);
    expect(view.policy).toEqual({ rule: `DestinationRule ${NS}/reviews`, restorePatch: [
      { op: 'test', path: '/spec/subsets/1/name', value: 'v2' },
      { op: 'test', path: '/spec/subsets/1/trafficPolicy', value: { ...v2, connectionPool: POOL } },
      { op: 'replace', path: '/spec/subsets/1/trafficPolicy', value: v2 },
    ] });
    const text = await runCliInProcess(['plan', path.join(REPO_ROOT, 'test/fixtures/kube-policy/experiment-istio.yaml'), '--kubeconfig', kube.kubeconfigPath('user')]);
    expect(text.stdout).toMatch(/DestinationRule policy\/reviews:\n\s+PATCH application\/json-patch\+json\n\s+\{"op":"test","path":"\/spec\/subsets\/1\/name"/);
    // Nothing was changed: not even a mark.
    expect((await rule('reviews')).metadata.resourceVersion).toBe(rule0.metadata.resourceVersion);
    expect((await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!.metadata.resourceVersion).toBe(vs0.metadata.resourceVersion);
  }, 60_000);
});
