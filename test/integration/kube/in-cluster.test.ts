/**
 * In-cluster configuration against a real kube-apiserver (localkube): with no kubeconfig anywhere,
 * KUBERNETES_SERVICE_HOST/PORT in the environment and a service-account directory (token, ca.crt,
 * namespace — here under a temp root instead of the pod's mount), mesh-exp reaches the API server
 * over TLS verified against that CA, authenticates with that token, and takes the namespace.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createCustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { loadKubeConfig, SERVICE_ACCOUNT_DIR } from '../../../src/kube/kubeconfig.js';
import { createIstioProvider } from '../../../src/traffic/istio/istio-provider.js';
import { REPO_ROOT } from '../../support/cli.js';
import { recreate } from '../../support/kube-provider-harness.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';

const NS = 'storefront';
const read = (rel: string) => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;

describe.skipIf(!localKubeAvailable('the in-cluster configuration test'))('in-cluster configuration against a real kube-apiserver', () => {
  let kube: LocalKube;
  let root: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    kube = await startLocalKube({ namespace: NS });
    const admin = await createCustomObjects(kube.kubeConfig('admin'));
    await recreate(admin, VIRTUAL_SERVICE, NS, read('test/fixtures/kube-istio/reviews-vs.yaml'));
    await recreate(admin, DESTINATION_RULE, NS, read('test/fixtures/bookinfo/destination-rule-reviews.yaml'));
    // What the kubelet mounts into a pod, from the credentials localkube issued.
    const user = kube.kubeConfig('user');
    const cluster = user.getCurrentCluster()!;
    root = mkdtempSync(path.join(tmpdir(), 'mesh-exp-sa-'));
    const dir = path.join(root, SERVICE_ACCOUNT_DIR);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'token'), user.getCurrentUser()!.token!);
    writeFileSync(path.join(dir, 'ca.crt'), cluster.caData ? Buffer.from(cluster.caData, 'base64') : readFileSync(cluster.caFile!));
    writeFileSync(path.join(dir, 'namespace'), NS);
    const url = new URL(kube.server);
    env = { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port, HOME: root };
  }, 120_000);
  afterAll(async () => {
    await kube?.dispose();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('finds the service account, verifies the server against its CA and runs the provider\'s preflight and snapshot', async () => {
    const loaded = await loadKubeConfig({ env, cwd: root, inClusterRoot: root });
    expect(loaded.source).toBe('in-cluster service account');
    expect(loaded.server).toBe(kube.server);
    expect(loaded.namespace).toBe(NS);
    const objects = await createCustomObjects(loaded.kubeConfig);
    const p = createIstioProvider({ name: 'istio', objects, target: { namespace: loaded.namespace!, virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v3' }, plannedStates: [{ canaryWeight: 10 }] });
    await p.preflight();
    expect((await p.snapshot()).original.metadata.name).toBe('reviews');
  });

  it('refuses a server whose certificate the mounted CA did not sign', async () => {
    writeFileSync(path.join(root, SERVICE_ACCOUNT_DIR, 'ca.crt'), readFileSync(path.join(REPO_ROOT, 'test/fixtures/kube-in-cluster/other-ca.crt')));
    const loaded = await loadKubeConfig({ env, cwd: root, inClusterRoot: root });
    const objects = await createCustomObjects(loaded.kubeConfig);
    await expect(objects.list(VIRTUAL_SERVICE, NS)).rejects.toThrow(/certificate|self.signed|verify/i);
  });

  it('is not used outside a pod: without KUBERNETES_SERVICE_HOST there is no configuration', async () => {
    await expect(loadKubeConfig({ env: { HOME: root }, cwd: root, inClusterRoot: root })).rejects.toThrow(/no kubeconfig/);
  });
});
