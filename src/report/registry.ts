/**
 * Reporters by name. Adding a format = one `<name>-reporter.ts` plus one entry here.
 */
import { UsageError } from '../errors.js';
import { createHtmlReporter } from './html-reporter.js';
import { createJsonReporter } from './json-reporter.js';
import { createJunitReporter } from './junit-reporter.js';
import { createMarkdownReporter } from './markdown-reporter.js';
import type { Reporter } from './types.js';

/** Reporters keyed by name. */
export type ReporterRegistry = ReadonlyMap<string, Reporter>;

/** Builds a registry; a name given twice is a programming error. */
export function createReporterRegistry(reporters: readonly Reporter[]): ReporterRegistry {
  const map = new Map<string, Reporter>();
  for (const r of reporters) {
    if (map.has(r.name)) throw new Error(`two reporters named "${r.name}"`);
    map.set(r.name, r);
  }
  return map;
}

/** The built-in reporters: json, html, markdown, junit. */
export const defaultReporters: ReporterRegistry = createReporterRegistry([createJsonReporter(), createHtmlReporter(), createMarkdownReporter(), createJunitReporter()]);

/** Names written when none are asked for. */
export const DEFAULT_REPORT_NAMES: readonly string[] = ['json', 'html', 'markdown', 'junit'];

/** The reporter called `name`; a UsageError (exit 2) naming the known ones when there is none. */
export function getReporter(name: string, registry: ReporterRegistry = defaultReporters): Reporter {
  const reporter = registry.get(name);
  if (!reporter) {
    throw new UsageError(`unknown report format "${name}"`, { hint: `known formats: ${[...registry.keys()].join(', ')}` });
  }
  return reporter;
}
