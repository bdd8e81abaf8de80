/**
 * The file check of `load.script` (generator k6): the script must be a readable regular UTF-8
 * file of at most {@link MAX_LOAD_SCRIPT_BYTES}, relative to the experiment file. Read with the
 * bounded reader every user file goes through; its problems are reported at `spec.load.script`.
 */
import path from 'node:path';
import { readUserText } from '../input/read-user-file.js';
import type { RuleInput, RuleProblem } from './rule-types.js';

/** Largest `load.script` accepted: 16 MiB (a bundled script with its libraries fits). */
export const MAX_LOAD_SCRIPT_BYTES = 16 * 1024 * 1024;

/**
 * Problems of the experiment's `load.script`, when it names one.
 * @param dir absolute directory of the experiment file (the script resolves against it)
 * @param displayDir that directory as the user named it (for the messages)
 */
export async function checkLoadScript(rules: RuleInput, dir: string, displayDir: string): Promise<RuleProblem[]> {
  const script = rules.valid.has('load') ? rules.spec.load?.script : undefined;
  if (script === undefined) return [];
  const shown = path.join(displayDir, script);
  const read = await readUserText(path.resolve(dir, script), shown, { maxBytes: MAX_LOAD_SCRIPT_BYTES });
  return read.problems.map((p) => ({
    path: ['spec', 'load', 'script'],
    message: `${shown}: ${p.message}`,
    hint: p.message === 'file not found' ? 'load.script is relative to the experiment file' : 'give the path of your k6 script (a regular UTF-8 file)',
  }));
}
