/**
 * result.json: the whole RunResult, pretty-printed with a stable key order. The machine-readable
 * record of a run; other reports can be rendered again from it.
 */
import { stableStringify } from './stable-json.js';
import { createFileReporter } from './file-reporter.js';
import type { Reporter } from './types.js';

/** File name the JSON reporter writes. */
export const JSON_REPORT_FILE = 'result.json';

/** Creates the "json" reporter. */
export function createJsonReporter(): Reporter {
  return createFileReporter('json', JSON_REPORT_FILE, (result) => stableStringify(result));
}
