/**
 * The fixtures of the Istio task conformance tests (test/fixtures/istio-tasks/, see its README):
 * the project's own manifests and stand-in services in the shape of Istio's documented tasks, and
 * a local mesh running Bookinfo-shaped services that call each other through it.
 */
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { BackendSpec } from '../../src/experiment/schema.js';
import { freePort } from './free-port.js';
import { bookinfo, manifests, repoRoot, startMesh, type MeshUnderTest, type Reply } from './mesh.js';

/** The folder of the Istio task fixtures. */
export const istioTasksDir = path.join(repoRoot, 'test/fixtures/istio-tasks');

/** Absolute paths of Istio task fixture files, by name. */
export const istioTask = (...names: string[]): string[] => names.map((n) => path.join(istioTasksDir, n));

/** The application timeouts of the Bookinfo stand-ins (bookinfo-app.mjs), ms. */
export interface BookinfoTimeouts {
  /** productpage → reviews, per call (productpage calls twice). Bookinfo: 3000. */
  reviews: number;
  /** reviews v2 → ratings. Bookinfo: 10000. */
  ratings: number;
  /** reviews v3 → ratings (Bookinfo's fix of the fault-injection task's bug). Bookinfo: 2500. */
  ratingsV3: number;
}

/**
 * Registers hooks that start a local mesh serving Bookinfo's DestinationRules and
 * `virtual-service-all-v1.yaml` (test/fixtures/bookinfo/), with productpage v1, reviews v1/v2/v3 and
 * ratings v1 run by bookinfo-app.mjs and calling each other through the mesh (its listen port is
 * chosen first so the services can be told it); the other subsets get instant demo backends.
 */
export function useBookinfoTaskMesh(timeouts: BookinfoTimeouts): MeshUnderTest {
  const state = {} as MeshUnderTest;
  beforeAll(async () => {
    const port = await freePort();
    const meshUrl = `http://127.0.0.1:${port}`;
    const app = (host: string, subset: string, ...args: string[]): BackendSpec => ({
      host, subset, replicas: 1, readyPath: '/health',
      command: [process.execPath, path.join(istioTasksDir, 'bookinfo-app.mjs'), host, subset, meshUrl, ...args],
    });
    const m = manifests(bookinfo('destination-rule-all.yaml', 'virtual-service-all-v1.yaml'));
    Object.assign(state, await startMesh({
      ...m,
      listen: `127.0.0.1:${port}`,
      backends: [
        app('productpage', 'v1', String(timeouts.reviews)),
        app('reviews', 'v1', String(timeouts.ratings)),
        app('reviews', 'v2', String(timeouts.ratings)),
        app('reviews', 'v3', String(timeouts.ratingsV3)),
        app('ratings', 'v1'),
      ],
    }));
  });
  afterAll(async () => {
    await state.http?.close();
    await state.mesh?.close();
  });
  return state;
}

/** Applies every VirtualService of the files live, in order (as `kubectl apply -f` would). */
export function applyFiles(m: MeshUnderTest, files: string[]): void {
  for (const vs of manifests(files).virtualServices) m.mesh.applyVirtualService(vs);
}

/** {@link applyFiles} for Istio task fixtures, by name. */
export const applyTask = (m: MeshUnderTest, ...names: string[]): void => applyFiles(m, istioTask(...names));

/** What bookinfo-app.mjs's productpage answers. */
export interface ProductPage {
  reviews?: { podname: string; reviews: Array<{ reviewer: string; rating?: { stars?: number; color?: string; error?: string } }> };
  error?: string;
  /** Each call productpage made to reviews: status (0 = its own timeout) and duration. */
  reviewsCalls: Array<{ status: number; ms: number }>;
}

/** GET /productpage through the mesh as `user` (the `end-user` header Bookinfo forwards); the page and the reply. */
export async function productPage(m: MeshUnderTest, user?: string): Promise<{ page: ProductPage; reply: Reply }> {
  const reply = await m.http.send('productpage:9080', { path: '/productpage', headers: user ? { 'end-user': user } : {} });
  if (reply.status !== 200) throw new Error(`productpage answered ${reply.status}: ${reply.body}`);
  return { page: JSON.parse(reply.body) as ProductPage, reply };
}

/** Time productpage spent in its calls to reviews, ms. */
export const callsMs = (page: ProductPage): number => page.reviewsCalls.reduce((sum, c) => sum + c.ms, 0);

/**
 * What a page may take beyond productpage's calls to reviews (the client → mesh → productpage hops
 * and back), ms. Measured 1–20 ms in most runs, idle or beside two CPU-bound processes saturating
 * the 2-CPU machine; under that saturation a scheduling stall of a few hundred ms was seen now and
 * then (a page 919 ms long for two 0.3 s calls), hence 300.
 */
export const PAGE_OVERHEAD_MS = 300;
