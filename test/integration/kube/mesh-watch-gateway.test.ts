/**
 * The watching mesh follows Istio Gateways in a REAL kube-apiserver (tools/localkube, Istio's CRDs):
 * a VirtualService bound to a Gateway that does not exist yet is served on no listener; creating
 * the Gateway opens its listener live, which answers with the bound routes (and the mesh listener
 * does not); a second VirtualService for the host is merged into its routes; deleting the
 * Gateway closes it. The user is the shipped Role's (deploy/rbac.yaml),
 * so the test also shows the Role lets the mesh read Gateways. Skips loudly without localkube.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CustomObjects, createCustomObjects, type KubeObject, type ResourceType, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { createKubeMesh, type KubeMesh } from '../../../src/mesh/kube-mesh.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { instant, repoRoot } from '../../support/mesh.js';
import { SHIPPED_BINDING, SHIPPED_ROLE } from '../../support/shipped-rbac.js';

const NS = 'gwwatch';
const GATEWAY: ResourceType = { group: 'networking.istio.io', version: 'v1', plural: 'gateways', kind: 'Gateway' };
const lk: LocalKube | undefined = localKubeAvailable('the mesh Gateway watch tests') ? await startLocalKube({ namespace: NS, rbac: true }) : undefined;
let admin: CustomObjects;
let km: KubeMesh;

const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews-ingress', namespace: NS },
  spec: { hosts: ['reviews.example.com'], gateways: ['reviews-gateway'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
};
const gw: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'reviews-gateway', namespace: NS },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['reviews.example.com'] }] },
};
const gatewayListener = () => km.mesh.listeners?.().find((l) => l.key === 'gateway:80');
async function pollUntil<T>(read: () => T | undefined, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = read();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out; listeners: ${JSON.stringify(km.mesh.listeners?.())}`);
}

beforeAll(async () => {
  if (!lk) return;
  admin = await createCustomObjects(await lk.kubeConfig('admin'));
  // The shipped Role and RoleBinding, bound to the user localkube authenticates (as rbac.test.ts does).
  const { RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
  const rbac = lk.kubeConfig('admin').makeApiClient(RbacAuthorizationV1Api);
  await rbac.createNamespacedRole({ namespace: NS, body: SHIPPED_ROLE });
  await rbac.createNamespacedRoleBinding({ namespace: NS, body: { ...SHIPPED_BINDING, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'mesh-exp' }] } });
  await admin.create(VIRTUAL_SERVICE, NS, vs);
}, 180_000);
afterAll(async () => {
  await km?.close();
  await lk?.dispose();
}, 60_000);

describe.skipIf(!lk)('local mesh watching Istio Gateways in a real kube-apiserver', () => {
  it('a bound VirtualService is on no listener until its Gateway exists', async () => {
    km = await createKubeMesh({
      kube: { kubeconfig: lk!.kubeconfigPath('user'), env: {}, cwd: repoRoot },
      namespace: NS,
      backends: [instant('reviews', '')],
      listen: '127.0.0.1:0',
      admin: '127.0.0.1:0',
      reflector: { initialBackoffMs: 100, maxBackoffMs: 800 },
    });
    await km.synced();
    expect(km.mesh.listeners?.().map((l) => l.key)).toEqual([]);
    expect(km.mesh.warnings.some((w) => w.message.includes('reviews-gateway'))).toBe(true);
  });

  it('creating the Gateway opens its listener live, serving the bound routes; the mesh listener does not', async () => {
    await admin.create(GATEWAY, NS, gw);
    const l = await pollUntil(gatewayListener);
    expect(l).toMatchObject({ kind: 'gateway-http', port: 80 });
    const r = await request(l.url, { headers: { host: 'reviews.example.com' } });
    await r.body.text();
    expect(r.statusCode).toBe(200);
    const other = await request(l.url, { headers: { host: 'ratings.example.com' } });
    await other.body.text();
    expect(other.statusCode).toBe(404);
    const mesh = await request(km.mesh.url, { headers: { host: 'reviews.example.com' } });
    await mesh.body.text();
    expect(mesh.statusCode).toBe(404);
    const dump = (await (await fetch(`${km.mesh.adminUrl}/config_dump`)).json()) as { kubernetes: { resourceVersions: Record<string, string> } };
    expect(Object.keys(dump.kubernetes.resourceVersions)).toContain(`Gateway ${NS}/reviews-gateway`);
  });

  it('a second VirtualService for the host, created later, is merged into the gateway\'s routes (after the older one\'s, before its catch-all)', async () => {
    await admin.create(VIRTUAL_SERVICE, NS, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews-teapot', namespace: NS },
      spec: { hosts: ['reviews.example.com'], gateways: ['reviews-gateway'], http: [{ match: [{ uri: { prefix: '/teapot' } }], directResponse: { status: 418 } }] },
    });
    const url = gatewayListener()!.url;
    const status = async (path: string) => {
      const r = await request(`${url}${path}`, { headers: { host: 'reviews.example.com' } });
      await r.body.text();
      return r.statusCode;
    };
    for (const end = Date.now() + 20_000; Date.now() < end && (await status('/teapot')) !== 418; ) await new Promise((r) => setTimeout(r, 50));
    expect([await status('/teapot'), await status('/')]).toEqual([418, 200]);
  });

  it('deleting the Gateway closes its listener', async () => {
    const url = gatewayListener()!.url;
    await admin.delete(GATEWAY, NS, 'reviews-gateway');
    await pollUntil(() => (gatewayListener() ? undefined : true));
    await expect(request(url, { headers: { host: 'reviews.example.com' } })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
