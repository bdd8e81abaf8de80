/**
 * Entry point of the mesh process of the proxy benchmark: runs `createLocalMesh` in its OWN process
 * (pinned to the proxy CPU by the harness) so the proxy never shares an event loop with the load
 * generator. Usage: `node --import tsx bench/proxy/mesh-launcher.ts <config.json>` where the file is
 * `{ "module": "<abs path of local-mesh.js|ts>", "options": LocalMeshOptions }`.
 * Prints one JSON line `{"url","adminUrl","warnings"}` on stdout once ready; closes on SIGTERM/SIGINT.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { LocalMesh, LocalMeshOptions } from '../../src/mesh/types.js';

/** What the harness writes for the launcher. */
export interface MeshLauncherConfig {
  /** Absolute path of the module exporting `createLocalMesh` (dist JS or src TS). */
  module: string;
  /** Mesh options (JSON: no functions). */
  options: LocalMeshOptions;
}

/** The ready line printed on stdout. */
export interface MeshLauncherReady {
  /** Proxy base URL. */
  url: string;
  /** Admin base URL. */
  adminUrl: string;
  /** Unimplemented-field warnings the mesh reported. */
  warnings: string[];
}

type CreateLocalMesh = (options: LocalMeshOptions) => Promise<LocalMesh>;

async function main(): Promise<void> {
  const configPath = process.argv[2];
  if (!configPath) throw new Error('usage: mesh-launcher.ts <config.json>');
  const config = JSON.parse(await readFile(configPath, 'utf8')) as MeshLauncherConfig;
  const mod = (await import(pathToFileURL(config.module).href)) as { createLocalMesh?: CreateLocalMesh };
  if (typeof mod.createLocalMesh !== 'function') throw new Error(`${config.module} does not export createLocalMesh`);
  const logger = {
    debug: () => {},
    info: (m: string) => void process.stderr.write(`${m}\n`),
    warn: (m: string) => void process.stderr.write(`warning: ${m}\n`),
    error: (m: string) => void process.stderr.write(`error: ${m}\n`),
  };
  const mesh = await mod.createLocalMesh({ ...config.options, logger });
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void mesh.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  const ready: MeshLauncherReady = { url: mesh.url, adminUrl: mesh.adminUrl, warnings: mesh.warnings.map((w) => `${w.path}: ${w.message}`) };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`mesh-launcher: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
