/**
 * The k6 stand-in of the k6 tests (`test/support/k6-stand-in/k6`). k6 cannot run here (AGPL
 * policy); this stand-in replays k6 v2.2.0's documented --out json lines and exit codes; it does
 * not execute the script's JavaScript. Its requests are real HTTP, so the runs it drives are
 * judged on real traffic.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/** The directory holding the stand-in `k6`: put it first on PATH. */
export const K6_STAND_IN_DIR = path.join(REPO_ROOT, 'test/support/k6-stand-in');

/** A PATH with the stand-in first, then node's own directory (its shebang is `/usr/bin/env node`). */
export const K6_STAND_IN_PATH = [K6_STAND_IN_DIR, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);

/** Pids of the live stand-in k6 processes whose command line mentions `marker` (e.g. a test's directory), from /proc. */
export async function standInProcesses(marker: string): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (cmdline.includes(path.join(K6_STAND_IN_DIR, 'k6')) && cmdline.includes(marker) && state !== 'Z') out.push(Number(name));
  }
  return out;
}
