/**
 * What the external engines (vegeta, k6) share: finding an executable on a PATH (the context's,
 * never the process's own), and killing the process group a child leads.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
// Only to signal process groups; nothing else of `process` is used.
import { kill } from 'node:process';

/** Whether `file` exists and may be executed. */
export async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Every executable named `name` on `env.PATH`, in PATH order (empty entries skipped). */
export async function executablesOnPath(env: Readonly<Record<string, string | undefined>>, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir !== '' && (await isExecutable(path.join(dir, name)))) out.push(path.join(dir, name));
  }
  return out;
}

/** SIGKILL to the process group `pgid` leads; a group already gone (ESRCH) is no error. */
export function killGroup(pgid: number): void {
  try {
    kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: already gone.
  }
}
