/**
 * How every command reads an experiment file: the experiment layer's checks plus the run's own
 * checks of the manifests and the planned steps (`runner/serving-check.ts`), so `validate`, `plan`, `export-k6` and `run` refuse the same
 * files (issue 18: whatever `run` would refuse, `validate` refuses too).
 */
import type { Context } from '../context.js';
import type { LoadExperimentOptions } from '../experiment/validate.js';
import { checkServing } from '../runner/serving-check.js';

/** The options every command passes to `checkExperimentFile` / `loadExperimentFile`. */
export function experimentInput(ctx: Pick<Context, 'cwd'>): LoadExperimentOptions {
  return { cwd: ctx.cwd, meshCheck: checkServing };
}
