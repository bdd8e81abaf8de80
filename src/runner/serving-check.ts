/**
 * A provider-local run's own checks, without starting anything: the local mesh's compile of the
 * manifests, the plan of every step against the target VirtualService (target route found, each
 * state renders, subsets defined — what the provider's preflight checks), and the mesh's compile
 * of each step's VirtualService as the run will apply it (the experiment's fault and match fields
 * land there). `validate`, `plan` and `run` all pass it to the experiment check, so whatever a run
 * would refuse after it started, each of them refuses before (issue 18: one code path for refusal).
 */
import { MeshExpError, type Problem, ValidationError } from '../errors.js';
import type { MeshCheckInput } from '../experiment/validate.js';
import { planSteps } from '../experiment/step-plan.js';
import type { VirtualService } from '../istio/types.js';
import { checkMeshConfig } from '../mesh/check-config.js';
import { planVirtualService } from '../traffic/virtual-service-plan.js';

/** The problems of an error the plan throws (a ValidationError's list, else its one message). */
function problemsOf(err: unknown, at: Pick<Problem, 'file' | 'line'>): Problem[] {
  if (err instanceof ValidationError) return err.problems.map((p) => ({ ...at, ...p }));
  if (err instanceof MeshExpError) return [{ ...at, path: '', message: err.message, ...(err.hint ? { hint: err.hint } : {}) }];
  throw err;
}

/** Every problem the run would meet in the manifests and the planned steps; [] when it would start. */
export function checkServing(input: MeshCheckInput): Problem[] {
  const { experiment, manifests, origins } = input;
  const backends = experiment.spec.local?.backends ?? [];
  const errors = checkMeshConfig({ ...manifests, backends, origins }).errors;
  if (errors.length) return errors;
  const plan = planSteps(experiment);
  const { target } = experiment.spec;
  const vs = manifests.virtualServices.find((v) => v.metadata.name === target.virtualService && (v.metadata.namespace ?? 'default') === (target.namespace ?? 'default'));
  const at = vs ? (origins.get(vs) ?? {}) : {};
  let planned;
  try {
    planned = planVirtualService(
      { provider: target.provider, target, states: plan.steps.map((s) => s.state), ...(plan.promote ? { promotion: plan.promotionState } : {}) },
      manifests,
    );
  } catch (err) {
    return problemsOf(err, at);
  }
  const rendered: [string, VirtualService][] = [
    ...planned.steps.map((s, i) => [`step ${i + 1} (${plan.steps[i]!.label})`, s.object] as [string, VirtualService]),
    ...(planned.promotion ? [['the promotion', planned.promotion.object] as [string, VirtualService]] : []),
  ];
  for (const [when, object] of rendered) {
    const served = manifests.virtualServices.map((v) => (v === vs ? object : v));
    const found = checkMeshConfig({ virtualServices: served, destinationRules: manifests.destinationRules, ...(manifests.gateways ? { gateways: manifests.gateways } : {}), backends, origins: new Map([...origins, [object, at as { file: string; line?: number }]]) }).errors;
    // The first step that fails says it all: later steps render the same fields.
    if (found.length) {
      const where = "the experiment's traffic section (fault, mirror, match) is rendered into this route: change it there";
      return found.map((p) => ({ ...p, message: `as ${when} renders it: ${p.message}`, hint: p.hint ? `${p.hint}; ${where}` : where }));
    }
  }
  return [];
}
