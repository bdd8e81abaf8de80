/**
 * The benchmark's upstream: builds `backend/main.go` into `.tools/bench/` and reads the registry
 * files the running backends write (`<version>-<pid>.json`), so HAProxy can be pointed at the very
 * processes the local mesh started.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runToEnd, type ProcessGroup } from './process-group.js';

/** A running backend as announced in its registry file. */
export interface BackendEntry {
  /** Value of its `x-version` header. */
  version: string;
  /** Port on 127.0.0.1. */
  port: number;
  /** Process id (killed explicitly at clean-up in case the mesh did not). */
  pid: number;
}

/** Builds the Go backend; returns the binary's absolute path. */
export async function buildBackend(group: ProcessGroup, repoRoot: string, goPath: string): Promise<string> {
  const outDir = join(repoRoot, '.tools', 'bench');
  await mkdir(outDir, { recursive: true });
  const bin = join(outDir, 'proxy-backend');
  await runToEnd(group, [goPath, 'build', '-o', bin, '.'], { name: 'go build', cwd: join(repoRoot, 'bench', 'proxy', 'backend') });
  return bin;
}

/** Reads every registry file in `dir`. */
export async function readRegistry(dir: string): Promise<BackendEntry[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as BackendEntry));
}

/** Waits until exactly one backend per wanted version has registered; throws after `timeoutMs`. */
export async function waitForBackends(dir: string, versions: string[], timeoutMs: number): Promise<Map<string, BackendEntry>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await readRegistry(dir);
    const byVersion = new Map(entries.map((e) => [e.version, e]));
    if (versions.every((v) => byVersion.has(v))) {
      if (entries.length !== versions.length) {
        throw new Error(`expected ${versions.length} backends, ${entries.length} registered: ${JSON.stringify(entries)}`);
      }
      return byVersion;
    }
    if (Date.now() > deadline) throw new Error(`backends ${versions.join(', ')} did not register in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
