/**
 * The shape every built-in format shares: render the run to text, write it to one file named by
 * the format in the run directory.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../model/result.js';
import type { Reporter, ReportOptions } from './types.js';

/**
 * Creates a reporter called `name` writing `render(result, options)` to `<dir>/<fileName>` (UTF-8).
 * @param render pure: the same result and options give the same text
 */
export function createFileReporter(name: string, fileName: string, render: (result: RunResult, options: ReportOptions) => string): Reporter {
  return {
    name,
    async write(result, dir, options = {}) {
      const file = path.join(dir, fileName);
      await writeFile(file, render(result, options), 'utf8');
      return file;
    },
  };
}
