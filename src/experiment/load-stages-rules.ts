/**
 * The cross-field rules of `load.stages` (called from the load rules in rules.ts): stages replace
 * `load.rate` (both written is an error, since one would be ignored), `startRate` needs stages,
 * the stages must fit in each step's load window (they restart there), and a profile must send
 * something.
 */
import { formatPath, type PathSegment } from '../input/locate.js';
import { formatDuration } from '../input/units.js';
import type { RuleProblem } from './rule-types.js';
import type { LoadSpec } from './schema.js';

/** The step's load window and the field that sets it. */
export interface LoadWindow {
  /** Length of each step's load, ms. */
  ms: number;
  /** Path of the field that sets it (load.duration or the step length). */
  path: PathSegment[];
}

const at = (...k: PathSegment[]): PathSegment[] => ['spec', 'load', ...k];

function writtenKeys(written: unknown): ReadonlySet<string> {
  return written !== null && typeof written === 'object' && !Array.isArray(written) ? new Set(Object.keys(written)) : new Set();
}

/**
 * Problems of the rate fields of `load`.
 * @param written the load section as written (before defaults), to tell a written rate from its default
 * @param window each step's load window, when the traffic section is valid
 */
export function loadStagesRules(load: LoadSpec, written: unknown, window: LoadWindow | undefined): RuleProblem[] {
  const out: RuleProblem[] = [];
  const keys = writtenKeys(written);
  const { stages, startRate } = load;
  if (!stages) {
    if (startRate !== undefined) out.push({ path: at('startRate'), message: 'startRate applies only with stages', hint: 'add load.stages, or remove load.startRate', pointAt: 'key' });
    return out;
  }
  if (keys.has('rate')) {
    out.push({
      path: at('rate'),
      message: 'give either rate (a constant rate) or stages (a ramping rate), not both',
      hint: 'remove load.rate; load.startRate sets the rate the first stage starts from (default 0)',
      pointAt: 'key',
    });
  }
  const total = stages.reduce((sum, s) => sum + s.duration, 0);
  if (window && total > window.ms) {
    out.push({
      path: at('stages'),
      message: `stages last ${formatDuration(total)} but each step's load lasts ${formatDuration(window.ms)} (${formatPath(window.path)})`,
      hint: 'the stages restart at each step: shorten them, or lengthen the step or load.duration',
      pointAt: 'key',
    });
  }
  if ((startRate ?? 0) === 0 && stages.every((s) => s.rate === 0)) {
    out.push({ path: at('stages'), message: 'every rate is 0, so no request would be sent', hint: 'give at least one stage a rate above 0', pointAt: 'key' });
  }
  return out;
}
