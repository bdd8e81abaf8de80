/**
 * Starts the local mesh in a separate process pinned to the proxy CPU (see `mesh-launcher.ts`) and
 * waits for its ready line. The mesh starts the Go backends itself (`command` backends).
 */
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalMeshOptions } from '../../src/mesh/types.js';
import type { MeshLauncherConfig, MeshLauncherReady } from './mesh-launcher.js';
import type { ProcessGroup, Started } from './process-group.js';

/** Options for {@link startMeshProcess}. */
export interface MeshProcessOptions {
  /** Process group the mesh is started in (stopped by the caller). */
  group: ProcessGroup;
  /** Repository root. */
  repoRoot: string;
  /** Node binary. */
  nodePath: string;
  /** argv prefix pinning the mesh to the proxy CPU. */
  pinPrefix: string[];
  /** Module exporting createLocalMesh. */
  module: string;
  /** Mesh options. */
  options: LocalMeshOptions;
  /** Scratch directory for the launcher config. */
  workDir: string;
  /** Write a V8 CPU profile of the mesh process into this directory (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** How long to wait for readiness. @default 60000 */
  timeoutMs?: number;
}

/** A running mesh process. */
export interface MeshProcess extends MeshLauncherReady {
  /** The process (stop it through the group). */
  started: Started;
}

/** Starts the mesh process and resolves once it printed its ready line. */
export async function startMeshProcess(o: MeshProcessOptions): Promise<MeshProcess> {
  const configPath = join(o.workDir, 'mesh-launcher.json');
  const config: MeshLauncherConfig = { module: o.module, options: o.options };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const launcher = join(o.repoRoot, 'bench', 'proxy', 'mesh-launcher.ts');
  const profile = o.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', o.cpuProfileDir];
  const started = o.group.start([...o.pinPrefix, o.nodePath, ...profile, '--import', 'tsx', launcher, configPath], {
    name: 'mesh',
    cwd: o.repoRoot,
    captureStdout: true,
  });
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  let exited = false;
  void started.exited.then(() => (exited = true));
  for (;;) {
    const line = started.stdout().split('\n').find((l) => l.startsWith('{'));
    if (line) return { ...(JSON.parse(line) as MeshLauncherReady), started };
    if (exited) throw new Error('the mesh process exited before it was ready (its stderr is above)');
    if (Date.now() > deadline) throw new Error('the mesh process was not ready in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Options for {@link resolveMeshModule}. */
export interface ResolveMeshModuleOptions {
  /** Process group the compiler runs in. */
  group: ProcessGroup;
  /** Repository root. */
  repoRoot: string;
  /** Node binary. */
  nodePath: string;
  /** "dist": compile with tsconfig.build.json and load dist/ (what bin/mesh-exp.js runs); "src": load the TS source via tsx. */
  from: 'dist' | 'src';
  /** Progress and warnings. */
  log: (msg: string) => void;
}

/** Returns the absolute path of the module exporting createLocalMesh, compiling dist/ first when asked. */
export async function resolveMeshModule(o: ResolveMeshModuleOptions): Promise<string> {
  const source = join(o.repoRoot, 'src', 'mesh', 'local-mesh.ts');
  if (!existsSync(source)) {
    throw new Error(`${source} does not exist yet: the local mesh must be written before it can be benchmarked`);
  }
  if (o.from === 'src') return source;
  o.log('compiling dist/ (tsc -p tsconfig.build.json)');
  const tsc = join(o.repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const started = o.group.start([o.nodePath, tsc, '-p', 'tsconfig.build.json'], { name: 'tsc', cwd: o.repoRoot, captureStdout: true });
  const code = await started.exited;
  const built = join(o.repoRoot, 'dist', 'mesh', 'local-mesh.js');
  // tsc still emits when other files have type errors; the mesh's own output is what matters.
  if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
    throw new Error(`tsc did not produce an up-to-date ${built} (exit ${code}); try --mesh-from src`);
  }
  if (code !== 0) {
    const errors = started.stdout().split('\n').filter((l) => l.includes('error TS')).length;
    o.log(`warning: tsc exited with ${code} (${errors} type errors in the tree); using ${built}`);
  }
  return built;
}
