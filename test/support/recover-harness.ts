/**
 * Test harness for crash and recovery: the real CLI as child processes (built once to dist/, as
 * the signal tests do), a standalone `mesh-exp mesh` to attach to, and reads of what that mesh
 * serves (its VirtualService API, /config_dump, and responses through its proxy).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import type { VirtualService } from '../../src/istio/types.js';
import { createAdminClient, type MeshConfigDump } from '../../src/mesh/admin/admin-client.js';

/** Repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/mesh-exp.js');

/** Newest modification time (ms) of the files below `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/ unless it is newer than every source file (type errors elsewhere must not stop it: tsc still emits). */
export function buildCli(): void {
  const main = path.join(repoRoot, 'dist/cli/main.js');
  if (existsSync(main) && statSync(main).mtimeMs > newestMtime(path.join(repoRoot, 'src'))) return;
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  if (!existsSync(path.join(repoRoot, 'dist/cli/main.js'))) throw new Error(`build produced no dist/cli/main.js:\n${build.stdout}\n${build.stderr}`);
}

/** How a CLI child process ended. */
export interface CliExit {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link spawnCli}. */
export interface SpawnCliOptions {
  /** Extra environment (PATH and NO_COLOR are always set). */
  env?: Record<string, string>;
  /** Working directory. @default a fresh temp dir is not made: repoRoot */
  cwd?: string;
  /** Called with the stderr text so far on every chunk. */
  onStderr?: (text: string, child: ChildProcess) => void;
  /** Options for node itself, before the script (e.g. `--import` a hook). @default none */
  nodeArgs?: string[];
}

/** Runs `mesh-exp <args>` as a child process; resolves when it exits. */
export function spawnCli(args: string[], options: SpawnCliOptions = {}): { child: ChildProcess; exit: Promise<CliExit> } {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    options.onStderr?.(stderr, child);
  });
  const exit = new Promise<CliExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exit };
}

/** A standalone mesh child process. */
export interface MeshProcess {
  /** Admin URL (what spec.local.attach names). */
  adminUrl: string;
  /** Proxy URL. */
  proxyUrl: string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

/** Starts `mesh-exp mesh -m experiments/manifests` on free ports and waits until it is ready. */
export async function startMesh(): Promise<MeshProcess> {
  let ready: (v: { adminUrl: string; proxyUrl: string }) => void;
  const started = new Promise<{ adminUrl: string; proxyUrl: string }>((r) => (ready = r));
  let out = '';
  let err = '';
  const check = () => {
    const admin = /admin on (http:\/\/127\.0\.0\.1:\d+)/.exec(err)?.[1];
    const proxy = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    if (admin && proxy) ready({ adminUrl: admin, proxyUrl: proxy });
  };
  const { child, exit } = spawnCli(['mesh', '-m', 'experiments/manifests', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], {
    onStderr: (text) => {
      err = text;
      check();
    },
  });
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    check();
  });
  const urls = await Promise.race([started, exit.then((e) => Promise.reject(new Error(`mesh exited: ${e.code} ${e.stderr}`)))]);
  return {
    ...urls,
    stop: async () => {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

/** What the mesh serves: the VirtualService (with its resourceVersion) and the whole config dump without the generation. */
export async function meshState(adminUrl: string, name = 'reviews'): Promise<{ vs: VirtualService; resourceVersion: string; dump: Omit<MeshConfigDump, 'generation'> }> {
  const client = createAdminClient({ url: adminUrl });
  try {
    const found = await client.getVirtualService('default', name);
    if (!found) throw new Error(`the mesh does not serve ${name}`);
    const { generation: _g, ...dump } = await client.configDump();
    return { vs: found.virtualService, resourceVersion: found.resourceVersion, dump };
  } finally {
    await client.close();
  }
}

/** Sends `n` requests for reviews through the proxy; counts the x-version answers. */
export async function servedVersions(proxyUrl: string, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const res = await request(`${proxyUrl}/reviews/1`, { headers: { host: 'reviews' } });
    await res.body.text();
    const v = String(res.headers['x-version'] ?? `status ${res.statusCode}`);
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

/** Writes `fixture` (relative to test/fixtures/recover) into a temp dir with the attach URL set; returns its path. */
export async function experimentFor(fixture: string, adminUrl: string): Promise<string> {
  const text = await readFile(path.join(repoRoot, 'test/fixtures/recover', fixture), 'utf8');
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-recover-'));
  const file = path.join(dir, fixture);
  await writeFile(file, text.replace('http://127.0.0.1:15020', adminUrl));
  return file;
}

/** What {@link useMeshProcess} provides, once its beforeAll ran. */
export interface MeshProcessFixture {
  mesh: MeshProcess;
  /** canary-attach.yaml with the attach URL of this mesh. */
  experiment: string;
  /** A fresh temp directory for run directories. */
  tmp: string;
  /** What the mesh served when it started. */
  original: Awaited<ReturnType<typeof meshState>>;
}

/** Builds the CLI and starts a standalone mesh before the file's tests; stops it after them. */
export function useMeshProcess(): MeshProcessFixture {
  const fixture = {} as MeshProcessFixture;
  beforeAll(async () => {
    buildCli();
    fixture.mesh = await startMesh();
    fixture.experiment = await experimentFor('canary-attach.yaml', fixture.mesh.adminUrl);
    fixture.tmp = await mkdtemp(path.join(tmpdir(), 'mesh-exp-crash-'));
    fixture.original = await meshState(fixture.mesh.adminUrl);
  }, 180_000);
  afterAll(() => fixture.mesh?.stop());
  return fixture;
}
