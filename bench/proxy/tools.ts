/** Locates the external programs the proxy benchmark needs, with an install hint when one is missing. */
import { execFile } from 'node:child_process';

/** Absolute paths of the tools. */
export interface BenchTools {
  /** taskset (util-linux). */
  taskset: string;
  /** haproxy. */
  haproxy: string;
  /** wrk. */
  wrk: string;
  /** go. */
  go: string;
}

const HINTS: Record<keyof BenchTools, string> = {
  taskset: 'apt-get install util-linux',
  haproxy: 'apt-get install haproxy',
  wrk: 'apt-get install wrk',
  go: 'install Go >= 1.22 (https://go.dev/dl) and put it on PATH',
};

function which(name: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', `command -v ${name}`], { env }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}

/** Finds every tool in `names` (default: all) or throws one error naming all missing ones. */
export async function findBenchTools(env: Record<string, string | undefined>, names: (keyof BenchTools)[] = Object.keys(HINTS) as (keyof BenchTools)[]): Promise<BenchTools> {
  const found = await Promise.all(names.map((n) => which(n, env)));
  const missing = names.filter((_, i) => !found[i]);
  if (missing.length > 0) {
    throw new Error(`missing tools: ${missing.map((m) => `${m} (${HINTS[m]})`).join(', ')}`);
  }
  // Tools not asked for are never used by the caller; their entries stay empty.
  return { taskset: '', haproxy: '', wrk: '', go: '', ...Object.fromEntries(names.map((n, i) => [n, found[i]!])) } as BenchTools;
}
