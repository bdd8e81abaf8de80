/**
 * result.json: the whole RunResult, pretty-printed with a stable key order. The machine-readable
 * record of a run; other reports can be rendered again from it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stableStringify } from './stable-json.js';
import type { Reporter } from './types.js';

/** File name the JSON reporter writes. */
export const JSON_REPORT_FILE = 'result.json';

/** Creates the "json" reporter. */
export function createJsonReporter(): Reporter {
  return {
    name: 'json',
    async write(result, dir) {
      const file = path.join(dir, JSON_REPORT_FILE);
      await writeFile(file, stableStringify(result), 'utf8');
      return file;
    },
  };
}
