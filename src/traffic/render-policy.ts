/**
 * Rendering a PolicyState onto the user's DestinationRule, the way render.ts does for the
 * VirtualService: the result is a deep copy in which only the settings the experiment names differ,
 * each replacing that field of the `trafficPolicy` whole (Istio merges settings objects, never single
 * fields: MergeTrafficPolicy). Rendering always starts from the original, so restore is "apply the
 * original", and an absent policy renders an identical copy. Pure; errors are ValidationErrors.
 */
import { ValidationError } from '../errors.js';
import type { DestinationRule, TrafficPolicy } from '../istio/types.js';
import type { PolicyState } from '../model/traffic-state.js';
import { sameHost } from './target-route.js';

/** A refusal of the policy, located at `traffic.policy` (the file's own location is added by validation). */
function policyError(message: string, hint: string): ValidationError {
  return new ValidationError([{ path: 'spec.traffic.policy', message, hint }], { hint });
}

/** The settings of a PolicyState, in the order they are written. */
export const POLICY_FIELDS = ['connectionPool', 'outlierDetection', 'loadBalancer'] as const;

/**
 * The DestinationRule a policy changes among `rules` (the target namespace's): the one named
 * `policy.destinationRule`, else the one whose `host` is `host`. Throws a ValidationError naming the
 * rules there are when none (or several) fit.
 */
export function findPolicyRule(rules: readonly DestinationRule[], policy: PolicyState, host: string, namespace = 'default'): DestinationRule {
  const names = rules.map((r) => `${r.metadata.name} (host ${r.spec.host})`).join(', ') || 'none';
  if (policy.destinationRule !== undefined) {
    const named = rules.find((r) => r.metadata.name === policy.destinationRule);
    if (named) return named;
    throw policyError(`DestinationRule "${policy.destinationRule}" not found in namespace ${namespace}`, `traffic.policy.destinationRule names one of: ${names}`);
  }
  const forHost = rules.filter((r) => sameHost(r.spec.host, host, namespace));
  if (forHost.length === 1) return forHost[0]!;
  throw policyError(
    forHost.length ? `${forHost.length} DestinationRules have host ${host} in namespace ${namespace}` : `no DestinationRule has host ${host} in namespace ${namespace}`,
    `name the rule with traffic.policy.destinationRule; the namespace has: ${names}`,
  );
}

/** Index of the policy's subset in the rule; throws naming the subsets there are when it has none of that name. */
function subsetIndex(rule: DestinationRule, subset: string): number {
  const index = (rule.spec.subsets ?? []).findIndex((s) => s.name === subset);
  if (index < 0) {
    const subsets = (rule.spec.subsets ?? []).map((s) => s.name).join(', ') || 'none';
    throw policyError(`DestinationRule ${rule.metadata.name} has no subset "${subset}"`, `traffic.policy.subset names one of its subsets: ${subsets}`);
  }
  return index;
}

/** JSON pointer of the trafficPolicy a policy changes: `/spec/trafficPolicy` or `/spec/subsets/<i>/trafficPolicy`. */
export function policyPointer(rule: DestinationRule, policy: PolicyState): string {
  return policy.subset === undefined ? '/spec/trafficPolicy' : `/spec/subsets/${subsetIndex(rule, policy.subset)}/trafficPolicy`;
}

/** Renders `policy` onto a deep copy of `original` (absent policy: an identical copy). */
export function renderDestinationRule(original: DestinationRule, policy: PolicyState | undefined): DestinationRule {
  const rule: DestinationRule = structuredClone(original);
  if (!policy) return rule;
  const holder: { trafficPolicy?: TrafficPolicy } = policy.subset === undefined ? rule.spec : rule.spec.subsets![subsetIndex(rule, policy.subset)]!;
  const tp: TrafficPolicy = holder.trafficPolicy ?? {};
  for (const field of POLICY_FIELDS) {
    const value = policy[field];
    if (value !== undefined) tp[field] = structuredClone(value);
  }
  holder.trafficPolicy = tp;
  return rule;
}
