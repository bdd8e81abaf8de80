/**
 * The notification secrets of a scheduled run: every webhook URL its `spec.notify` targets read
 * (`urlFrom.env`, `urlFrom.file`) comes, in the pod, from one Kubernetes Secret the user creates
 * and owns. mesh-exp never reads the values: it only wires the Secret's keys into the pod, so no
 * object it prints or applies holds a URL, and the ServiceAccount needs no access to Secrets (the
 * kubelet reads them for the pod).
 *
 * - `urlFrom.env: NAME`: the container's env NAME from the Secret's key NAME.
 * - `urlFrom.file` relative: the Secret's key projected into the files volume at the path the file
 *   resolves to in the pod (the mount keeps the files' relative layout and is laid out to cover the
 *   URL files' directories too, see `files.ts`).
 *
 * A URL file's key is its path as written, normalised, its segments joined by "_" (secrets/slack-url:
 * "secrets_slack-url"); an env's key is its name.
 * - `urlFrom.file` absolute: the key mounted (subPath) at exactly that path; refused under the
 *   pod's own mounts (/mesh-exp, /tmp) and the runtime's (/proc, /sys, /dev).
 */
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { ScheduledFiles } from './files.js';
import type { NotifyRef } from './runnable.js';

/** Where an absolute URL file may not be mounted: the pod's own volumes, and what the runtime owns. */
export const RESERVED_DIRS = ['/mesh-exp', '/tmp', '/proc', '/sys', '/dev'];

/** How the pod gets the notify Secret's keys. */
export interface NotifySecret {
  /** The Secret's name (in the CronJob's namespace). */
  name: string;
  /** Every key the pod reads, sorted. */
  keys: string[];
  /** Environment variables: name and the Secret key holding it (the same). */
  env: Array<{ name: string; key: string }>;
  /** Keys projected into the files volume, at their path under the mount. */
  files: Array<{ key: string; path: string }>;
  /** Keys mounted at an absolute path. */
  mounts: Array<{ key: string; mountPath: string }>;
}

/** A Secret key from a URL file's path: its segments (no "." nor "..") joined by "_", in the characters a key allows. */
function keyOfFile(written: string): string {
  const segments = path.posix.normalize(written.split(path.sep).join('/')).split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  // A key may not start with ".." (the API server's rule); leading dots are dropped.
  return segments.join('_').replace(/[^-._a-zA-Z0-9]+/g, '_').replace(/^\.+/, '').slice(-253) || 'url';
}

/**
 * The Secret wiring of `refs` (the run's notify targets), or undefined when it has none; throws a
 * UsageError (exit 2) for a URL file the pod cannot get, or two different sources on one key.
 */
export function notifySecretOf(refs: readonly NotifyRef[], files: ScheduledFiles, name: string): NotifySecret | undefined {
  if (refs.length === 0) return undefined;
  const out: NotifySecret = { name, keys: [], env: [], files: [], mounts: [] };
  // Which source each key stands for: one key, one source; a source named twice (however written) is given once.
  const sources = new Map<string, string>();
  const claim = (key: string, source: string, ref: NotifyRef, what: string): boolean => {
    if ([...sources.values()].includes(source)) return false;
    const had = sources.get(key);
    if (had !== undefined) {
      throw new UsageError(`${ref.field}.urlFrom: ${what} would be key "${key}" of Secret ${name}, which another notify target already uses for ${had}`, {
        hint: 'give the URL files distinct names (or read both targets from the same file or variable)',
      });
    }
    sources.set(key, source);
    return true;
  };
  for (const ref of refs) {
    const { env, file } = ref.urlFrom;
    if (env !== undefined) {
      if (claim(env, `$${env}`, ref, `environment variable ${env}`)) out.env.push({ name: env, key: env });
      continue;
    }
    const key = keyOfFile(file!);
    if (path.isAbsolute(file!)) {
      const mountPath = path.posix.normalize(file!.split(path.sep).join('/'));
      const reserved = RESERVED_DIRS.find((d) => mountPath === d || mountPath.startsWith(`${d}/`));
      if (reserved !== undefined || mountPath === '/') {
        throw new UsageError(`${ref.field}.urlFrom.file ${file} cannot be mounted in the scheduled pod: ${reserved ?? '/'} is the pod's own (its files, reports, temp or the runtime's)`, {
          hint: 'write it relative to the experiment file (the Secret key is then projected beside the files), or pick a path such as /etc/mesh-exp/slack-url',
        });
      }
      if (claim(key, `file ${mountPath}`, ref, `file ${file}`)) out.mounts.push({ key, mountPath });
      continue;
    }
    const under = path.relative(files.root, path.resolve(ref.dir, file!)).split(path.sep).join('/');
    if (under === '' || under === '..' || under.startsWith('../') || path.isAbsolute(under)) {
      throw new UsageError(`${ref.field}.urlFrom.file ${file} is outside the directory the scheduled pod gets the files in (${files.root})`, {
        hint: 'put the URL file beside or below the files the run reads, or read the URL from an environment variable (urlFrom.env)',
      });
    }
    if (claim(key, `file ${under}`, ref, `file ${file}`)) out.files.push({ key, path: under });
  }
  const clash = out.files.find((f) => files.files.some((s) => s.path === f.path));
  if (clash) throw new UsageError(`the notify URL file ${clash.path} is also one of the run's files`, { hint: 'a URL file holds only the URL: name a file of its own' });
  out.keys = [...sources.keys()].sort();
  return out;
}

/** The one line telling the user which Secret and keys the CronJob expects, with the kubectl command that creates it. */
export function notifySecretLine(secret: NotifySecret, namespace: string): string {
  const literals = secret.keys.map((k) => `--from-literal=${k}=<webhook URL>`).join(' ');
  return `spec.notify: the CronJob reads the webhook URLs from Secret ${namespace}/${secret.name}, key${secret.keys.length > 1 ? 's' : ''} ${secret.keys.join(', ')} (mesh-exp never reads them); create it with: kubectl -n ${namespace} create secret generic ${secret.name} ${literals}`;
}
