/**
 * The shape every built-in format shares: render the run to text, write it to one file named by
 * the format in the run directory.
 */
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { RunResult } from '../model/result.js';
import type { Reporter, ReportOptions } from './types.js';

/**
 * Creates a reporter called `name` writing `render(result, options)` to `<dir>/<fileName>` (UTF-8,
 * atomically: a reader sees the old file or the new one, never part of it).
 * @param render pure: the same result and options give the same text
 */
export function createFileReporter(name: string, fileName: string, render: (result: RunResult, options: ReportOptions) => string): Reporter {
  return {
    name,
    async write(result, dir, options = {}) {
      const file = path.join(dir, fileName);
      // Whole or not at all: a signal or crash while reports are written must not leave a torn one.
      await writeFileAtomic(file, render(result, options));
      return file;
    },
  };
}
