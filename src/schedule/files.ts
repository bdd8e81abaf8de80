/**
 * The run's files as one ConfigMap, laid out in the pod as they are on disk: every file keeps its
 * path relative to the deepest directory holding them all, so the relative paths the files use
 * (manifests, data, bodies, scripts) resolve in the pod as they do here. ConfigMap keys cannot hold
 * "/", so each file gets a key of its own and the volume's `items` put it back at its path.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { formatBytes } from '../input/read-user-file.js';
import type { FileRef } from './runnable.js';

/** Most a ConfigMap may hold (keys and values together), as the API server counts it. */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

/** One file of the ConfigMap. */
export interface ScheduledFile {
  /** Its key in the ConfigMap. */
  key: string;
  /** Its path under the mount, "/"-separated, never leaving it. */
  path: string;
  /** Its bytes. */
  bytes: Buffer;
}

/** The run's files, laid out. */
export interface ScheduledFiles {
  /** In key order; the runnable's own file is the first of `collectFiles`'s input. */
  files: ScheduledFile[];
  /** The path (under the mount) of the runnable's own file. */
  entry: string;
  /** The local directory the mount stands for (absolute): a path under it is at its relative path under the mount. */
  root: string;
  /** Keys and values together, bytes (what the API server limits to {@link CONFIGMAP_MAX_BYTES}). */
  size: number;
}

/** A ConfigMap key from a path: its characters kept where allowed, prefixed by its index so keys never collide. */
function keyOf(index: number, rel: string): string {
  const tail = rel.replace(/[^-._a-zA-Z0-9]+/g, '_').slice(-200);
  return `${String(index).padStart(2, '0')}-${tail}`;
}

/**
 * Reads `refs` (the runnable's own file first) and lays them out; refuses an absolute path written
 * in a file (it could not point into the mount) and a set over {@link CONFIGMAP_MAX_BYTES}, naming
 * the biggest files. `cover` are directories (absolute) the mount must also stand for, though no
 * file of the ConfigMap is in them: where the notify URL files are projected from a Secret.
 */
export async function collectFiles(refs: readonly FileRef[], cover: readonly string[] = []): Promise<ScheduledFiles> {
  for (const ref of refs.slice(1)) {
    if (path.isAbsolute(ref.written)) {
      throw new UsageError(`${ref.field} is an absolute path (${ref.written}): the scheduled pod gets the files under a mount, where it would not point`, {
        hint: 'write it relative to the file that names it (an experiment\'s files to the experiment file, a game day\'s experiments and inline experiments\' files to the game-day file)',
      });
    }
  }
  const sizes = await Promise.all(refs.map(async (r) => (await stat(r.abs)).size));
  const root = commonDir([...refs.map((r) => path.dirname(r.abs)), ...cover]);
  const rels = refs.map((r) => path.relative(root, r.abs).split(path.sep).join('/'));
  const order = rels.map((rel, i) => ({ rel, i })).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const keys = new Map(order.map(({ rel, i }, n) => [i, keyOf(n, rel)]));
  const total = sizes.reduce((sum, s, i) => sum + s + keys.get(i)!.length, 0);
  if (total > CONFIGMAP_MAX_BYTES) {
    const biggest = refs.map((r, i) => ({ r, size: sizes[i]! })).sort((a, b) => b.size - a.size).slice(0, 3);
    throw new UsageError(`the run's ${refs.length} files take ${formatBytes(total)}, over the ${formatBytes(CONFIGMAP_MAX_BYTES)} a ConfigMap holds (biggest: ${biggest.map((b) => `${b.r.written} ${formatBytes(b.size)}`).join(', ')})`, {
      hint: 'make the data smaller (fewer rows, a smaller body), or build an image with the files in it and schedule a file that names them there',
    });
  }
  const files = await Promise.all(order.map(async ({ rel, i }) => ({ key: keys.get(i)!, path: rel, bytes: await readFile(refs[i]!.abs) })));
  const size = files.reduce((sum, f) => sum + f.key.length + f.bytes.length, 0);
  return { files, entry: rels[0]!, root, size };
}

/** The deepest directory holding every one of `dirs` (absolute). */
function commonDir(dirs: readonly string[]): string {
  let root = dirs[0]!;
  for (const d of dirs) while (root !== path.dirname(root) && d !== root && !d.startsWith(root + path.sep)) root = path.dirname(root);
  return root;
}

/** The ConfigMap's data: UTF-8 files under `data`, any other under `binaryData` (base64), as the API server requires. */
export function configMapData(files: readonly ScheduledFile[]): { data?: Record<string, string>; binaryData?: Record<string, string> } {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (const f of files) {
    try {
      data[f.key] = utf8.decode(f.bytes);
    } catch {
      binaryData[f.key] = f.bytes.toString('base64');
    }
  }
  return { ...(Object.keys(data).length ? { data } : {}), ...(Object.keys(binaryData).length ? { binaryData } : {}) };
}
