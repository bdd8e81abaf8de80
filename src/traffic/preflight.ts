/**
 * Checks shared by every provider's preflight and by `mesh-exp plan`: the target route is found,
 * every planned state renders, and every subset the states route or mirror to is defined.
 */
import { ValidationError, type Problem } from '../errors.js';
import type { DestinationRule, VirtualService } from '../istio/types.js';
import { renderVirtualService } from './render.js';
import { type TargetRef, findTargetRoute, sameHost } from './target-route.js';
import type { TrafficState } from './types.js';

/** Subsets a state sends traffic to, besides the stable one. */
export function subsetsOf(target: TargetRef, state: TrafficState): string[] {
  const out = new Set<string>();
  if (state.canaryWeight !== undefined || state.abMatch) out.add(target.canary);
  if (state.fault?.subset) out.add(state.fault.subset);
  if (state.mirror) out.add(state.mirror.subset);
  return [...out];
}

/**
 * Throws a ValidationError when the planned states cannot be applied to `vs`: no or ambiguous
 * target route, a state that does not render, or a subset missing from the DestinationRules.
 * Subsets are only checked when `destinationRules` is given (a cluster provider may not know them).
 */
export function checkPlannedStates(
  vs: VirtualService,
  target: TargetRef,
  states: readonly TrafficState[],
  destinationRules?: readonly DestinationRule[],
): void {
  findTargetRoute(vs, target);
  for (const state of states) renderVirtualService(vs, target, state);
  if (!destinationRules) return;
  const namespace = target.namespace ?? 'default';
  const rules = destinationRules.filter((dr) => sameHost(dr.spec.host, target.host, namespace));
  const defined = rules.flatMap((dr) => dr.spec.subsets?.map((s) => s.name) ?? []);
  const problems: Problem[] = [];
  for (const subset of new Set([target.stable, ...states.flatMap((s) => subsetsOf(target, s))])) {
    if (!defined.includes(subset)) {
      problems.push({
        path: `DestinationRule for host ${target.host}`,
        message: `subset "${subset}" is not defined`,
        hint: `add it to the DestinationRule's subsets (defined: ${defined.join(', ') || 'none'})`,
      });
    }
  }
  if (problems.length) throw new ValidationError(problems, { hint: 'every subset the experiment routes to needs a DestinationRule subset' });
}
