/**
 * The run's request picker (`load.requests` / `load.data`): built once per run from the checked
 * scenario, so round-robin rows and random draws continue from step to step. Absent for a load
 * with neither field, which sends its one request exactly as before.
 */
import path from 'node:path';
import { ValidationError } from '../errors.js';
import { formatPath } from '../input/locate.js';
import { checkScenario } from '../experiment/scenario-check.js';
import type { Scenario } from '../experiment/scenario.js';
import type { LoadSpec } from '../experiment/schema.js';
import { createRequestPicker } from '../load/request-picker.js';
import type { RequestPicker } from '../load/types.js';
import type { RunnableExperiment } from './types.js';

/** The scenario of `loaded`: the one `validate` checked, else read and checked now (same checks). */
async function scenarioOf(loaded: RunnableExperiment): Promise<Scenario> {
  if (loaded.scenario) return loaded.scenario;
  const check = await checkScenario(loaded.experiment.spec.load, { dir: loaded.dir, displayDir: path.dirname(loaded.file) });
  if (check.scenario) return check.scenario;
  const here = check.here.map((p) => ({ file: loaded.file, path: formatPath(p.path), message: p.message, ...(p.hint ? { hint: p.hint } : {}) }));
  throw new ValidationError([...here, ...check.there]);
}

/**
 * The picker of a scripted load, or undefined. `url` is where the one request would go (the
 * mesh's URL + load.path, or load.url): requests go to its origin, each with its own path; with
 * load.url, a request without its own path keeps load.url's path.
 */
export async function createScenarioPicker(loaded: RunnableExperiment, url: string, fromLoadUrl: boolean): Promise<RequestPicker | undefined> {
  const load: LoadSpec = loaded.experiment.spec.load;
  if (load.requests === undefined && load.data === undefined) return undefined;
  const scenario = await scenarioOf(loaded);
  const base = new URL(url);
  const ownPath = (i: number) => !fromLoadUrl || load.requests?.[i]?.path !== undefined;
  return createRequestPicker({
    scenario,
    urlOf: (p, i) => (ownPath(i) ? `${base.origin}${p}` : url),
  });
}
