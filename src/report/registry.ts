/**
 * Reporters by name. Adding a format = one `<name>-reporter.ts` plus one entry here.
 */
import { createRegistry, type Registry } from '../registry.js';
import { createHtmlReporter } from './html-reporter.js';
import { createJsonReporter } from './json-reporter.js';
import { createJunitReporter } from './junit-reporter.js';
import { createMarkdownReporter } from './markdown-reporter.js';
import type { Reporter } from './types.js';

/** Reporters keyed by name (the shared registry rules of `src/registry.ts`). */
export type ReporterRegistry = Registry<Reporter>;

/** Builds a registry from reporters, each under its own name; a name given twice throws. */
export function createReporterRegistry(reporters: readonly Reporter[]): ReporterRegistry {
  const registry = createRegistry<Reporter>({ kind: 'report format', plural: 'formats' });
  for (const r of reporters) registry.register(r.name, r);
  return registry;
}

/** The built-in reporters: json, html, markdown, junit. */
export const defaultReporters: ReporterRegistry = createReporterRegistry([createJsonReporter(), createHtmlReporter(), createMarkdownReporter(), createJunitReporter()]);

/** Names written when none are asked for. */
export const DEFAULT_REPORT_NAMES: readonly string[] = ['json', 'html', 'markdown', 'junit'];

/** The reporter called `name`; a UsageError (exit 2) with a "did you mean" hint when there is none. */
export function getReporter(name: string, registry: ReporterRegistry = defaultReporters): Reporter {
  return registry.get(name);
}
