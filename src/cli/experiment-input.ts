/**
 * How every command reads an experiment file: the experiment layer's checks plus the serving
 * mesh's own compile of the manifests, so `validate`, `plan`, `export-k6` and `run` refuse the same
 * files (issue 18: whatever `run` would refuse, `validate` refuses too).
 */
import type { Context } from '../context.js';
import type { LoadExperimentOptions } from '../experiment/validate.js';
import { checkMeshConfig } from '../mesh/check-config.js';

/** The options every command passes to `checkExperimentFile` / `loadExperimentFile`. */
export function experimentInput(ctx: Pick<Context, 'cwd'>): LoadExperimentOptions {
  return { cwd: ctx.cwd, meshCheck: (input) => checkMeshConfig(input).errors };
}
