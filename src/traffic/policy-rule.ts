/**
 * The DestinationRule a run's `traffic.policy` acts on, found once for all its planned states: every
 * state with a policy must find its rule (and subset) and render, and all of them must name the
 * same rule, since a run snapshots and restores one. Pure; refusals are ValidationErrors, so a
 * provider's preflight (and `mesh-exp plan`) refuses before any change.
 */
import { ValidationError } from '../errors.js';
import type { DestinationRule } from '../istio/types.js';
import type { PolicyState, TrafficState } from '../model/traffic-state.js';
import { findPolicyRule, renderDestinationRule } from './render-policy.js';
import type { TargetRef } from './target-route.js';

/** The policies of `states`, in order (states without one left out). */
export function plannedPolicies(states: readonly TrafficState[]): PolicyState[] {
  return states.flatMap((s) => (s.policy ? [s.policy] : []));
}

/**
 * The rule among `rules` (any namespaces: only the target's count) that the policies of `states`
 * change, or undefined when no state has a policy. Throws a ValidationError when a policy's rule or
 * subset is missing, or when the states name different rules.
 */
export function findPlannedRule(rules: readonly DestinationRule[], target: TargetRef, states: readonly TrafficState[], defaultNamespace = 'default'): DestinationRule | undefined {
  const policies = plannedPolicies(states);
  if (!policies.length) return undefined;
  const namespace = target.namespace ?? 'default';
  const local = rules.filter((r) => (r.metadata.namespace ?? defaultNamespace) === namespace);
  let found: DestinationRule | undefined;
  for (const policy of policies) {
    const rule = findPolicyRule(local, policy, target.host, namespace);
    // Renders (and so checks the subset) exactly as the run will.
    renderDestinationRule(rule, policy);
    if (found && found.metadata.name !== rule.metadata.name) {
      const hint = 'set traffic.policy.destinationRule to the one rule the run may change';
      throw new ValidationError([{ path: 'spec.traffic.policy', message: `the steps change two DestinationRules (${found.metadata.name}, ${rule.metadata.name})`, hint }], { hint });
    }
    found = rule;
  }
  return found;
}
