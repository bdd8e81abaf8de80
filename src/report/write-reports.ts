/**
 * Writes a run's reports into its run directory.
 */
import { mkdir } from 'node:fs/promises';
import type { RunResult } from '../model/result.js';
import { DEFAULT_REPORT_NAMES, defaultReporters, getReporter, type ReporterRegistry } from './registry.js';
import { orderKeys } from './stable-json.js';
import type { ReportOptions } from './types.js';

/** Options of {@link writeReports}; `previous` is passed to every reporter. */
export interface WriteReportsOptions extends ReportOptions {
  /** Reporters to choose from. @default json, html, markdown and junit */
  registry?: ReporterRegistry;
}

/**
 * Writes the named reports of `result` into `dir` (created if missing) and resolves to the paths
 * written, in the order of `names`. Every name is checked before anything is written.
 * @param names report formats. @default ["json", "html", "markdown", "junit"]
 * @throws UsageError for an unknown format name (nothing is written then).
 */
export async function writeReports(
  result: RunResult,
  dir: string,
  names: readonly string[] = DEFAULT_REPORT_NAMES,
  options: WriteReportsOptions = {},
): Promise<string[]> {
  const { registry = defaultReporters, ...reportOptions } = options;
  const reporters = [...new Set(names)].map((n) => getReporter(n, registry));
  await mkdir(dir, { recursive: true });
  // Every format renders the stable-ordered form that result.json holds, so reports rendered now
  // and again later from result.json (`mesh-exp report`) are the same bytes.
  const canonical = orderKeys(result) as RunResult;
  const previous = reportOptions.previous ? { previous: orderKeys(reportOptions.previous) as RunResult } : {};
  const paths: string[] = [];
  // One after another: the files are small, and a failure then names the report that broke.
  for (const r of reporters) paths.push(await r.write(canonical, dir, previous));
  return paths;
}
