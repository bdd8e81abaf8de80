/**
 * The chart library, uPlot (MIT), read from node_modules when a report is rendered and inlined in
 * the page: the report must load nothing, and a copy of the library travels with each report, so
 * its license travels with it too. Read once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The inlined library. */
export interface ChartLibrary {
  /** uPlot's minified IIFE build (defines the global `uPlot`), preceded by its license. */
  js: string;
  /** uPlot's stylesheet. */
  css: string;
  /** Its version, e.g. "1.6.32". */
  version: string;
}

let cached: ChartLibrary | undefined;

/** Fails loudly if inlined text could end the element it sits in (it would then run as markup). */
function assertInlinable(text: string, closer: string, what: string): string {
  // Invariant: the inlined text is the vendored chart library, shipped with mesh-exp, never user input.
  if (text.toLowerCase().includes(closer)) throw new Error(`${what} contains "${closer}" and cannot be inlined`);
  return text;
}

/** uPlot's script, stylesheet and version. */
export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (file: string) => readFileSync(require.resolve(`uplot/${file}`), 'utf8');
  const { version } = JSON.parse(read('package.json')) as { version: string };
  const license = read('LICENSE').trim().replaceAll('*/', '* /');
  cached = {
    js: assertInlinable(`/*! uPlot ${version}\n${license}\n*/\n${read('dist/uPlot.iife.min.js').trim()}`, '</script', 'uPlot'),
    css: assertInlinable(read('dist/uPlot.min.css').trim(), '</style', "uPlot's CSS"),
    version,
  };
  return cached;
}
