/**
 * The local mesh of the kube end-to-end tests: it follows the API server's VirtualService for
 * reviews in `namespace` and serves reviews v1 (a good demo backend) and v2 (as the test gives it),
 * with its metrics on `adminPort` for the test's Prometheus to scrape.
 */
import type { DemoBackendSpec } from '../../src/experiment/schema.js';
import { createKubeMesh, type KubeMesh } from '../../src/mesh/kube-mesh.js';
import { REPO_ROOT } from './cli.js';

/** A good backend: fast, never failing. */
export const GOOD_BACKEND: DemoBackendSpec = { latency: { median: 3, p99: 10 }, errorRate: 0 };

/** Options of {@link startReviewsMesh}. */
export interface ReviewsMeshOptions {
  /** Kubeconfig the mesh watches with (a limited user's, to show it needs no more). */
  kubeconfig: string;
  /** Namespace of the VirtualService. */
  namespace: string;
  /** Port of the mesh's admin (metrics) listener. */
  adminPort: number;
  /** How reviews v2 behaves. */
  v2: DemoBackendSpec;
}

/** Starts the mesh and waits until it has synced with the API server. */
export async function startReviewsMesh(o: ReviewsMeshOptions): Promise<KubeMesh> {
  const km = await createKubeMesh({
    kube: { kubeconfig: o.kubeconfig, env: {}, cwd: REPO_ROOT },
    namespace: o.namespace,
    backends: [
      { host: 'reviews', subset: 'v1', replicas: 1, readyPath: '/', demo: GOOD_BACKEND },
      { host: 'reviews', subset: 'v2', replicas: 1, readyPath: '/', demo: o.v2 },
    ],
    listen: '127.0.0.1:0',
    admin: `127.0.0.1:${o.adminPort}`,
    // Quick retries: the tests stop and start the API server.
    reflector: { initialBackoffMs: 100, maxBackoffMs: 800 },
  });
  await km.synced();
  return km;
}
