/**
 * In-process helpers for the attach and recover tests: a local mesh with the admin write API in
 * this process (the same code `mesh-exp mesh` runs), and the CLI through runCli with captured output.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCaptureStream, createContext } from '../../src/context.js';
import type { VirtualService } from '../../src/istio/types.js';
import { runCli } from '../../src/cli/program.js';
import { loadManifests } from '../../src/istio/manifests.js';
import { createLocalMesh } from '../../src/mesh/local-mesh.js';
import type { LocalMesh } from '../../src/mesh/types.js';
import { repoRoot } from './recover-harness.js';
export { waitFor } from './mesh.js';

/** The target of the recover fixtures (test/fixtures/recover/*.yaml). */
export const TARGET = { namespace: 'default', virtualService: 'reviews', route: 'reviews-main', host: 'reviews', stable: 'v1', canary: 'v2' };

/** Starts the shipped manifests' mesh with config writes on, on free ports. */
export async function startInProcessMesh(): Promise<LocalMesh> {
  const set = await loadManifests(['experiments/manifests'], repoRoot);
  return createLocalMesh({ ...set, listen: '127.0.0.1:0', admin: '127.0.0.1:0', configWrites: true });
}

/** A CLI invocation in this process; `stderr()` can be polled while it runs. */
export function cli(args: string[], options: { cwd?: string; signal?: AbortSignal; env?: Record<string, string> } = {}) {
  const stdout = createCaptureStream();
  const stderr = createCaptureStream();
  const ctx = createContext({ stdout, stderr, cwd: options.cwd ?? repoRoot, env: options.env ?? {}, ...(options.signal ? { signal: options.signal } : {}) });
  const code = runCli(args, ctx);
  return { code, stdout: () => stdout.text(), stderr: () => stderr.text() };
}

/** What {@link useInProcessMesh} provides, once its beforeAll ran. */
export interface InProcessMeshFixture {
  mesh: LocalMesh;
  /** The VirtualService as the mesh started with it. */
  original: VirtualService;
  /** A fresh temp directory for run directories. */
  tmp: string;
}

/** Starts an in-process mesh before the file's tests and closes it after them. */
export function useInProcessMesh(): InProcessMeshFixture {
  const fixture = {} as InProcessMeshFixture;
  beforeAll(async () => {
    fixture.mesh = await startInProcessMesh();
    fixture.original = fixture.mesh.getVirtualService('default', 'reviews')!;
    fixture.tmp = await mkdtemp(path.join(tmpdir(), 'mesh-exp-recover-'));
  });
  afterAll(() => fixture.mesh?.close());
  return fixture;
}
