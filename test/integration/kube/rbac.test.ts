/**
 * deploy/rbac.yaml is all a run needs: against a real kube-apiserver authorizing with RBAC, the
 * limited User "mesh-exp" bound to exactly that Role runs the istio provider's whole cycle (and
 * `mesh-exp plan`), and the gateway-api provider's on an HTTPRoute; with one verb taken away, the step that needs it fails with a message naming
 * the verb, the resource and the namespace, and the VirtualService is left untouched.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, HTTP_ROUTE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { createKubeMesh } from '../../../src/mesh/kube-mesh.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { createIstioProvider } from '../../../src/traffic/istio/istio-provider.js';
import { createGatewayApiProvider } from '../../../src/traffic/gateway-api/gateway-api-provider.js';
import { userOwned } from '../../../src/traffic/kube-owned.js';
import { httpRouteTargetOf } from '../../../src/traffic/target-object.js';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { rulesWithout, SHIPPED_BINDING, SHIPPED_ROLE } from '../../support/shipped-rbac.js';
import { recreate, toVirtualService } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { instant } from '../../support/mesh.js';

const NS = 'storefront';
const load = (rel: string) => parse(readFileSync(path.resolve(REPO_ROOT, rel), 'utf8')) as KubeObject;
const fixture = load('test/fixtures/kube-istio/reviews-vs.yaml');
const httpRoute = load('test/fixtures/kube-gateway/reviews-httproute.yaml');
const rule = load('test/fixtures/bookinfo/destination-rule-reviews.yaml');
const role = SHIPPED_ROLE;
const binding = SHIPPED_BINDING;
const target = { namespace: NS, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v3' };
const EXPERIMENT = 'test/fixtures/kube-rbac/experiment.yaml';

describe.skipIf(!localKubeAvailable('the RBAC tests', 'istio+gateway'))('deploy/rbac.yaml against a kube-apiserver authorizing with RBAC', () => {
  let kube: LocalKube;
  let admin: CustomObjects;
  let user: CustomObjects;
  let rbac: import('@kubernetes/client-node').RbacAuthorizationV1Api;

  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio+gateway', namespace: NS, rbac: true });
    const { RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
    rbac = kube.kubeConfig('admin').makeApiClient(RbacAuthorizationV1Api);
    admin = await createCustomObjects(kube.kubeConfig('admin'));
    user = await createCustomObjects(kube.kubeConfig('user'));
    await admin.create(DESTINATION_RULE, NS, { ...rule, metadata: { ...rule.metadata, namespace: NS } });
    // The RoleBinding exactly as shipped, its subject switched from the ServiceAccount to the
    // user localkube authenticates (what the file's comments tell a user to do).
    await rbac.createNamespacedRoleBinding({ namespace: NS, body: { ...binding, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mesh-exp' }] } });
  }, 120_000);
  afterAll(async () => kube?.dispose());

  let original: KubeObject;
  beforeEach(async () => {
    await rbac.deleteNamespacedRole({ namespace: NS, name: 'mesh-exp' }).catch(() => undefined);
    await admin.delete(VIRTUAL_SERVICE, NS, 'reviews');
    original = await admin.create(VIRTUAL_SERVICE, NS, { ...fixture, metadata: { ...fixture.metadata, namespace: NS } });
  });
  /** Installs the shipped Role, minus `verb` on `resource` when given; waits until it is in force. */
  const grant = async (without?: { verb: string; resource: string }) => {
    const rules = rulesWithout(without);
    await rbac.createNamespacedRole({ namespace: NS, body: { ...role, rules } });
    // RBAC decisions come from the apiserver's informer cache: wait for the grant to be visible
    // (every variant keeps "get" on the HTTPRoutes).
    for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      const ok = await user.get(HTTP_ROUTE, NS, 'absent').then(() => true, (e: unknown) => (e as KubeApiError).status === 404);
      if (ok) return;
    }
    throw new Error('the Role never took effect');
  };
  const untouched = async () => expect(toVirtualService((await admin.get(VIRTUAL_SERVICE, NS, 'reviews'))!)).toEqual(toVirtualService(original));

  it('without any Role the user can do nothing: the check is real', async () => {
    const err = await user.get(VIRTUAL_SERVICE, NS, 'reviews').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(403);
  });

  it('the shipped Role is enough for the whole cycle: preflight, snapshot, claim, shift, restore, and plan', async () => {
    await grant();
    const p = createIstioProvider({ name: 'istio', objects: user, target, plannedStates: [{ canaryWeight: 25 }, { canaryWeight: 100 }] });
    await p.preflight();
    const snap = await p.snapshot();
    await p.claim!('/runs/rbac/journal.jsonl');
    await p.apply({ canaryWeight: 25 });
    await p.verify({ canaryWeight: 25 });
    await p.apply({ canaryWeight: 100 });
    await p.restore({ ...snap, owner: '/runs/rbac/journal.jsonl' });
    await untouched();

    const plan = await runCliInProcess(['plan', EXPERIMENT, '--kubeconfig', kube.kubeconfigPath('user')]);
    expect(plan.stderr).not.toMatch(/forbidden/i);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Nothing was changed/);
    // Against a cluster the plan shows the exact JSON patch of each step: a test of the route first.
    expect(plan.stdout).toMatch(/PATCH application\/json-patch\+json\n\s+\{"op":"test","path":"\/spec\/http\/1"/);
  });

  it.each([
    ['get', 'virtualservices', /cannot get virtualservices\.networking\.istio\.io "reviews" in namespace "?storefront/],
    ['list', 'destinationrules', /cannot list destinationrules\.networking\.istio\.io in namespace "?storefront/],
    ['patch', 'virtualservices', /cannot patch virtualservices\.networking\.istio\.io "reviews" in namespace "?storefront/],
  ])('without "%s" on %s the preflight fails naming the verb, the resource and the namespace', async (verb, resource, message) => {
    await grant({ verb, resource });
    const p = createIstioProvider({ name: 'istio', objects: user, target, plannedStates: [{ canaryWeight: 25 }] });
    const err = await p.preflight().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(403);
    expect((err as Error).message).toMatch(message);
    expect((err as KubeApiError).hint).toContain(`grant the verb "${verb}" on ${resource}.networking.istio.io in namespace ${NS}`);
    await untouched();
  });

  describe('provider gateway-api', () => {
    const routeTarget = httpRouteTargetOf({ namespace: NS, httpRoute: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' });
    let route: KubeObject;
    beforeEach(async () => {
      route = await recreate(admin, HTTP_ROUTE, NS, httpRoute);
    });
    const routeUntouched = async () => expect(userOwned((await admin.get(HTTP_ROUTE, NS, 'reviews'))!, HTTP_ROUTE)).toEqual(userOwned(route, HTTP_ROUTE));

    it('the shipped Role is enough for its whole cycle', async () => {
      await grant();
      const p = createGatewayApiProvider({ name: 'gateway-api', objects: user, target: routeTarget, plannedStates: [{ canaryWeight: 25 }] });
      await p.preflight();
      const snap = await p.snapshot();
      await p.claim!('/runs/rbac/journal.jsonl');
      await p.apply({ canaryWeight: 25 });
      await p.verify({ canaryWeight: 25 });
      await p.restore({ ...snap, owner: '/runs/rbac/journal.jsonl' });
      await routeUntouched();
    });

    it('without "patch" on httproutes the preflight names the verb, the resource and the namespace', async () => {
      await grant({ verb: 'patch', resource: 'httproutes' });
      const p = createGatewayApiProvider({ name: 'gateway-api', objects: user, target: routeTarget, plannedStates: [{ canaryWeight: 25 }] });
      const err = await p.preflight().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeApiError);
      expect((err as Error).message).toMatch(/cannot patch httproutes\.gateway\.networking\.k8s\.io "reviews" in namespace "?storefront/);
      expect((err as KubeApiError).hint).toContain(`grant the verb "patch" on httproutes.gateway.networking.k8s.io in namespace ${NS}`);
      await routeUntouched();
    });
  });

  it('without "watch" the watching mesh serves what it could list and says which verb to grant', async () => {
    await grant({ verb: 'watch', resource: 'virtualservices' });
    const km = await createKubeMesh({
      kube: { kubeconfig: kube.kubeconfigPath('user'), env: {}, cwd: REPO_ROOT },
      namespace: NS,
      backends: [instant('reviews', 'v1'), instant('reviews', 'v3')],
      listen: '127.0.0.1:0',
      admin: '127.0.0.1:0',
      reflector: { initialBackoffMs: 100, maxBackoffMs: 400 },
    });
    try {
      const info = async () => (await (await fetch(`${km.mesh.adminUrl}/info`)).json()) as { lastError: { message: string; hint?: string } | null };
      let last: Awaited<ReturnType<typeof info>>['lastError'] = null;
      for (const end = Date.now() + 15_000; Date.now() < end && !/watch/.test(last?.message ?? ''); await new Promise((r) => setTimeout(r, 100))) last = (await info()).lastError;
      expect(last?.message).toMatch(/cannot watch virtualservices\.networking\.istio\.io in namespace "?storefront/);
      // The list worked, so the mesh has the objects and serves them; it cannot follow changes.
      await km.synced();
    } finally {
      await km.close();
    }
  });

  it('mesh-exp run without "patch" stops in preflight with exit code 3 and the hint, before anything changes', async () => {
    await grant({ verb: 'patch', resource: 'virtualservices' });
    const out = await runCliInProcess(['run', EXPERIMENT, '--kubeconfig', kube.kubeconfigPath('user'), '--report-dir', path.join(kube.dataDir, 'report')]);
    expect(out.code).toBe(3);
    expect(out.stderr).toMatch(/cannot patch virtualservices\.networking\.istio\.io "reviews" in namespace "?storefront/);
    expect(out.stderr).toContain('deploy/rbac.yaml');
    expect(out.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
    await untouched();
  });
});
