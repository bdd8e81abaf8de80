/**
 * The cluster of the load.distributed tests against localkube, set up once per test file: a real
 * kube-apiserver (Istio's CRDs and the k6-operator TestRun CRD installed, RBAC on request), a real
 * Prometheus scraping a port nobody listens on (it answers queries, with no data: nothing runs the
 * load here), the reviews DestinationRule, a scratch directory, and the reviews VirtualService
 * recreated from its fixture before each test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parse } from 'yaml';
import { createCustomObjects, type CustomObjects, DESTINATION_RULE, type KubeObject, VIRTUAL_SERVICE } from '../../src/kube/custom-objects.js';
import { REPO_ROOT } from './cli.js';
import { DIST_NS } from './distributed-harness.js';
import { recreate } from './kube-provider-harness.js';
import { type LocalKube, startLocalKube } from './localkube.js';
import { freePort, startPrometheus, type RunningPrometheus } from './prometheus.js';
import { buildCli } from './recover-harness.js';
import { testRunCrd } from './shared-fallback.js';

/** A repository YAML file, parsed. */
export const readFixture = (rel: string): KubeObject => parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as KubeObject;

/** What the tests use; filled in by the file's beforeAll (and `original` before each test). */
export interface DistributedCluster {
  kube: LocalKube;
  /** Cluster-admin client. */
  admin: CustomObjects;
  prom: RunningPrometheus;
  /** Scratch directory, removed after the file. */
  work: string;
  /** The reviews VirtualService as recreated before this test. */
  original: KubeObject;
}

/** Options of {@link useDistributedCluster}. */
export interface DistributedClusterOptions {
  /** Names the tests in the loud skip or CI failure when the TestRun CRD is missing. */
  why: string;
  /** The Prometheus binary (from `requirePrometheus()`). */
  prometheusBinary: string;
  /** Start the API server authorizing with RBAC. @default false */
  rbac?: boolean;
}

/** Registers the file's hooks; call at the top of its describe block. */
export function useDistributedCluster(o: DistributedClusterOptions): DistributedCluster {
  const c = {} as DistributedCluster;
  beforeAll(async () => {
    buildCli();
    [c.kube, c.prom] = await Promise.all([
      startLocalKube({ crds: 'istio', namespace: DIST_NS, ...(o.rbac ? { rbac: true } : {}) }),
      startPrometheus(o.prometheusBinary, [`127.0.0.1:${await freePort()}`]),
    ]);
    await c.kube.installCrds([testRunCrd(o.why).file]);
    c.admin = await createCustomObjects(c.kube.kubeConfig('admin'));
    const rule = readFixture('test/fixtures/bookinfo/destination-rule-reviews.yaml');
    await c.admin.create(DESTINATION_RULE, DIST_NS, { ...rule, metadata: { ...rule.metadata, namespace: DIST_NS } });
    c.work = mkdtempSync(path.join(tmpdir(), 'mesh-exp-distributed-'));
  }, 180_000);
  afterAll(async () => {
    await Promise.all([c.kube?.dispose(), c.prom?.stop()]);
    if (c.work) rmSync(c.work, { recursive: true, force: true });
  }, 60_000);
  beforeEach(async () => {
    c.original = await recreate(c.admin, VIRTUAL_SERVICE, DIST_NS, readFixture('test/fixtures/kube-istio/reviews-vs.yaml'));
  });
  return c;
}
