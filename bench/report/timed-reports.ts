/**
 * Writes a run's reports the way the runner does (`writeReports`, every default format), timing
 * each reporter inside that one call, and measures what was written.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunResult } from '../../src/model/result.js';
import { createReporterRegistry, DEFAULT_REPORT_NAMES, getReporter } from '../../src/report/registry.js';
import type { Reporter } from '../../src/report/types.js';
import { writeReports } from '../../src/report/write-reports.js';

/** One `writeReports` call, timed. */
export interface TimedReports {
  /** Wall time of the whole call, ms. */
  totalMs: number;
  /** Time in each reporter's `write`, ms, by format name (json, html, markdown, junit). */
  byReport: Record<string, number>;
}

/** Writes every default report of `result` into `dir`. */
export async function writeReportsTimed(result: RunResult, dir: string): Promise<TimedReports> {
  const byReport: Record<string, number> = {};
  const timed = (r: Reporter): Reporter => ({
    ...r,
    async write(...args) {
      const t = performance.now();
      try {
        return await r.write(...args);
      } finally {
        byReport[r.name] = (byReport[r.name] ?? 0) + performance.now() - t;
      }
    },
  });
  const registry = createReporterRegistry(DEFAULT_REPORT_NAMES.map((n) => timed(getReporter(n))));
  const t0 = performance.now();
  await writeReports(result, dir, DEFAULT_REPORT_NAMES, { registry });
  return { totalMs: performance.now() - t0, byReport };
}

/** Files and bytes under some run directories (recursively: a run dir may hold sub-folders). */
export interface DirBytes {
  files: number;
  bytes: number;
  /** Bytes by file name (summed over the directories). */
  byName: Record<string, number>;
}

/** Adds up the files in `dirs`. */
export async function measureDirs(dirs: readonly string[]): Promise<DirBytes> {
  const paths: string[] = [];
  for (const dir of dirs) {
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) paths.push(join(entry.parentPath, entry.name));
  }
  return measureFiles(paths);
}

/** Adds up the given files. */
export async function measureFiles(paths: readonly string[]): Promise<DirBytes> {
  const out: DirBytes = { files: 0, bytes: 0, byName: {} };
  for (const path of paths) {
    const size = (await stat(path)).size;
    const name = basename(path);
    out.files++;
    out.bytes += size;
    out.byName[name] = (out.byName[name] ?? 0) + size;
  }
  return out;
}
