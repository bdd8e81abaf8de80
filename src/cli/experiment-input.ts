/**
 * How every command reads an experiment file: the experiment layer's checks plus the run's own
 * checks of the manifests and the planned steps (`runner/serving-check.ts`), so `validate`, `plan`, `export-k6` and `run` refuse the same
 * files (issue 18: whatever `run` would refuse, `validate` refuses too).
 */
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { EngineCheck, LoadExperimentOptions, NotifyCheck } from '../experiment/validate.js';
import { checkServing } from '../runner/serving-check.js';

/**
 * The options every command passes to `checkExperimentFile` / `loadExperimentFile`; with
 * `secrets` (validate, run), the notification targets' URLs must be readable too.
 */
export function experimentInput(ctx: Pick<Context, 'cwd' | 'env'>, secrets = false): LoadExperimentOptions {
  return { cwd: ctx.cwd, meshCheck: checkServing, ...(secrets ? { notifyCheck: notifyCheck(ctx) } : {}) };
}

/**
 * The check of `spec.notify`'s secrets, the one the run's preflight makes (`resolveNotifyTargets`):
 * an unset variable or an unreadable URL file is refused by `validate` and `run` alike, located at
 * the target's `urlFrom.env` or `urlFrom.file` (an experiment's or a game day's `spec.notify`). `plan` and `export-k6` send nothing, so they do not ask for the secrets.
 */
export function notifyCheck(ctx: Pick<Context, 'env'>): NotifyCheck {
  return async (targets, dir) => {
    if (targets.length === 0) return [];
    // Imported here: only files that notify need it.
    const { resolveNotifyTargets } = await import('../notify/resolve-url.js');
    const { problems } = await resolveNotifyTargets(targets, { env: ctx.env, dir });
    return problems.map((p) => ({ path: ['spec', 'notify', p.index, 'urlFrom', p.field], message: p.message, ...(p.hint ? { hint: p.hint } : {}) }));
  };
}

/**
 * `validate`'s check of the load engine: the generator's own preflight, exactly as `run` calls it
 * before any change (vegeta installed, k6 on PATH, k6's script writable), so whatever `run` would
 * refuse there, `validate` refuses too. `validate --no-engine-check` leaves it out (a CI checking
 * files on a machine that has no engine).
 */
export function engineCheck(ctx: Context): EngineCheck {
  // The scenario's files were read and checked already: the engine takes them as they are.
  return async (experiment, dir, scenario) => {
    const generatorName = experiment.spec.load.generator;
    if (generatorName === 'none') return undefined;
    // Imported here: the engines are needed only when a file is otherwise valid.
    const { createDefaultLoadGeneratorRegistry } = await import('../load/registry.js');
    const generator = createDefaultLoadGeneratorRegistry().create(generatorName, { ...ctx, experiment: { experiment, dir, ...(scenario ? { scenario } : {}) } });
    try {
      await generator.preflight?.();
      return undefined;
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      return { message: `${err.message} (run would stop at preflight; validate --no-engine-check skips this check)`, ...(err.hint ? { hint: err.hint } : {}) };
    }
  };
}
