/**
 * fortio (https://github.com/fortio/fortio, Apache-2.0), the load generator of Istio's
 * circuit-breaking task, run for real: `scripts/provision-tools.sh` builds the pinned version into
 * .tools/fortio/bin. Tests get its path from {@link requireFortio} (a loud skip when absent, a
 * failure under CI=true) and run `fortio load` with {@link fortioLoad}, which reads fortio's JSON
 * result (`-json -`) instead of its text report.
 */
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './mesh.js';
import { requireTool } from './require-tool.js';

/** Where scripts/provision-tools.sh installs fortio. */
export const FORTIO_BINARY = path.join(repoRoot, '.tools/fortio/bin/fortio');

/** fortio's path, or undefined after a loud skip notice (CI=true: throws). */
export function requireFortio(why: string): string | undefined {
  return requireTool(FORTIO_BINARY, `${why} (scripts/provision-tools.sh builds fortio into .tools/fortio/bin)`);
}

/** The fields of fortio's JSON result the tests read. */
export interface FortioResult {
  /** Calls by HTTP status code, e.g. `{ "200": 17, "503": 3 }`. */
  RetCodes: Record<string, number>;
  /** Connections fortio opened per thread. */
  Sockets?: number[];
  /** Wall time of the run, ns. */
  ActualDuration: number;
}

/**
 * `fortio load <args> -json - <url>`: the run's JSON result. `-allow-initial-errors` is always
 * passed: fortio's warm-up calls may meet the circuit breaker too, and fortio would otherwise abort.
 */
export async function fortioLoad(binary: string, args: string[], url: string): Promise<FortioResult> {
  const r = await execa(binary, ['load', ...args, '-allow-initial-errors', '-loglevel', 'Warning', '-json', '-', url], { reject: false });
  if (r.exitCode !== 0) throw new Error(`fortio load ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as FortioResult;
}

/** Calls answered with `code` (0 when none). */
export const callsWith = (r: FortioResult, code: number): number => r.RetCodes[String(code)] ?? 0;
