/**
 * The run directory: `reports/<name>-<UTC YYYYMMDD-HHMMSS>/` under the working directory, or the
 * directory given with --report-dir. It holds journal.jsonl and the reports.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** UTC timestamp "YYYYMMDD-HHMMSS" of an epoch-ms time. */
export function utcStamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2025-11-22T04:01:02.345Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** Options for {@link createRunDir}. */
export interface RunDirOptions {
  /** Experiment name. */
  name: string;
  /** Start time, epoch ms. */
  startedAt: number;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** Use exactly this directory (created if missing). @default `<cwd>/reports/<name>-<stamp>` */
  reportDir?: string;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Creates the run directory and returns its absolute path; a same-second clash gets a "-2", "-3" suffix. */
export async function createRunDir(options: RunDirOptions): Promise<string> {
  if (options.reportDir !== undefined) {
    const dir = path.resolve(options.cwd, options.reportDir);
    await mkdir(dir, { recursive: true });
    return dir;
  }
  const base = path.resolve(options.cwd, 'reports', `${options.name}-${utcStamp(options.startedAt)}`);
  let dir = base;
  for (let n = 2; await exists(dir); n++) dir = `${base}-${n}`;
  await mkdir(dir, { recursive: true });
  return dir;
}
