/**
 * What each experiment state looks like on an HTTPRoute: the "region" of `spec.rules` the
 * gateway-api provider manages — an A/B rule it inserts (when the state has one) followed by the
 * target rule, whose backendRefs weights shift and which may carry a RequestMirror filter.
 *
 * Everything written spells out the CRD's defaults (weight, group, kind, header type): the API
 * server stores defaulted objects, and the patches' `test` operations and the region search
 * compare against what it stored.
 */
import { RuntimeError } from '../../errors.js';
import type { HTTPMatchRequest } from '../../istio/types.js';
import type { ItemRegion } from '../region-patch.js';
import type { TrafficState } from '../types.js';
import type { HTTPBackendRef, HTTPHeaderMatch, HTTPRouteMatch, HTTPRouteObject, HTTPRouteRule, HTTPRouteTarget } from './types.js';

/** Name of the rule inserted for A/B routing. */
export const AB_RULE = 'mesh-exp-ab';


const where = (route: HTTPRouteObject) => `HTTPRoute ${route.metadata.namespace ?? 'default'}/${route.metadata.name}`;
const refsOf = (rule: HTTPRouteRule) => rule.backendRefs ?? [];
/** A rule's name, quoted, or its position: '"primary"', "#1". */
export const ruleLabel = (rule: HTTPRouteRule, i: number) => (rule.name ? `"${rule.name}"` : `#${i}`);
/** A rule in words: its name (or position) and backends with weights. */
export const describeRule = (rule: HTTPRouteRule, i: number) => `${ruleLabel(rule, i)} → ${refsOf(rule).map((b) => `${b.name}:${b.weight ?? 1}`).join(',') || '(no backends)'}`;

/** Finds the rule whose weights shift: by name, else the one rule sending to both services. */
export function findTargetRule(route: HTTPRouteObject, target: HTTPRouteTarget): { index: number; rule: HTTPRouteRule } {
  const rules = route.spec.rules ?? [];
  const listed = rules.map(describeRule).join('; ') || 'none';
  const hits = target.rule !== undefined
    ? rules.flatMap((rule, index) => (rule.name === target.rule ? [{ index, rule }] : []))
    : rules.flatMap((rule, index) => (refsOf(rule).some((b) => b.name === target.stable) && refsOf(rule).some((b) => b.name === target.canary) ? [{ index, rule }] : []));
  if (hits.length !== 1) {
    const what = target.rule !== undefined ? `no rule named "${target.rule}"` : `${hits.length ? 'more than one rule' : 'no rule'} with backendRefs to both ${target.stable} and ${target.canary}`;
    throw new RuntimeError(`${where(route)} has ${what}`, {
      hint: `its rules: ${listed}. ${target.rule !== undefined ? 'Check target.route' : 'Name the rule with target.route, or add the canary Service to the rule as a backendRef with weight 0'}`,
    });
  }
  const { index, rule } = hits[0]!;
  for (const name of [target.stable, target.canary]) {
    if (!refsOf(rule).some((b) => b.name === name)) {
      throw new RuntimeError(`${where(route)}: rule ${describeRule(rule, index)} has no backendRef to ${name}`, { hint: `add ${name} to the rule's backendRefs (weight 0 for the canary before the run)` });
    }
  }
  const others = refsOf(rule).filter((b) => b.name !== target.stable && b.name !== target.canary && (b.weight ?? 1) > 0);
  if (others.length) {
    throw new RuntimeError(`${where(route)}: rule ${describeRule(rule, index)} also sends to ${others.map((b) => b.name).join(', ')}`, {
      hint: 'weights are relative: with other backends the canary would not get the planned share; move them to their own rule or set their weight to 0',
    });
  }
  return { index, rule };
}

/** Istio-style header matches as Gateway API header matches; what has no equivalent is refused. */
function headerMatches(abMatch: readonly HTTPMatchRequest[], route: HTTPRouteObject): HTTPHeaderMatch[][] {
  return abMatch.map((m) => {
    const other = Object.keys(m).filter((k) => k !== 'headers' && m[k] !== undefined);
    if (other.length) throw new RuntimeError(`${where(route)}: an A/B match on ${other.join(', ')} has no HTTPRoute equivalent mesh-exp writes`, { hint: 'match on headers (exact or regex) with provider gateway-api' });
    return Object.entries(m.headers ?? {}).map(([name, sm]) => {
      if (sm.exact !== undefined) return { name, type: 'Exact' as const, value: sm.exact };
      if (sm.regex !== undefined) return { name, type: 'RegularExpression' as const, value: sm.regex };
      throw new RuntimeError(`${where(route)}: header match "${name}" ${sm.prefix !== undefined ? 'by prefix' : 'on presence'} has no HTTPRoute equivalent`, { hint: `use { regex: "^${sm.prefix ?? '.*'}" } instead` });
    });
  });
}

/** Refuses what an HTTPRoute cannot express (faults, retries), before anything is written. */
export function checkSupported(route: HTTPRouteObject, state: TrafficState): void {
  if (state.fault) {
    throw new RuntimeError(`${where(route)}: the Gateway API has no fault injection (delay, abort)`, {
      hint: 'inject faults with provider istio on a VirtualService, or drop traffic.fault for this HTTPRoute',
    });
  }
  if (state.retries) {
    throw new RuntimeError(`${where(route)}: the HTTPRoute (Gateway API standard channel before v1.7) has no retry policy`, {
      hint: 'set retries with provider istio on a VirtualService, or drop traffic.retries for this HTTPRoute',
    });
  }
}

/** The region `state` renders to on `original` (the empty state: the target rule alone). */
export function ruleRegionOf(original: HTTPRouteObject, target: HTTPRouteTarget, state: TrafficState): ItemRegion<HTTPRouteRule> {
  checkSupported(original, state);
  const { index, rule } = findTargetRule(original, target);
  const next: HTTPRouteRule = structuredClone(rule);
  if (state.canaryWeight !== undefined) {
    const w = state.canaryWeight;
    next.backendRefs = refsOf(rule).map((b): HTTPBackendRef => (b.name === target.stable ? { ...b, weight: 100 - w } : b.name === target.canary ? { ...b, weight: w } : b));
  }
  if (state.mirror) {
    const ref = refsOf(rule).find((b) => b.name === target.canary) ?? refsOf(rule)[0]!;
    const p = state.mirror.percentage;
    const share = Number.isInteger(p) ? { percent: p } : { fraction: { numerator: Math.round(p * 10_000), denominator: 1_000_000 } };
    next.filters = [...(rule.filters ?? []), { type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: target.services?.[state.mirror.subset] ?? state.mirror.subset, ...(ref.port !== undefined ? { port: ref.port } : {}) }, ...share } }];
  }
  const inserted: HTTPRouteRule[] = [];
  if (state.abMatch) {
    // Gateway API orders rules by match precedence, not position: the A/B rule keeps the target
    // rule's paths and adds the headers, so it is the more specific one for exactly those requests.
    const paths: HTTPRouteMatch[] = rule.matches?.length ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } }];
    const matches = paths.flatMap((m) => headerMatches(state.abMatch!, original).map((h) => ({ ...m, headers: [...(m.headers ?? []), ...h] })));
    const canary = refsOf(rule).find((b) => b.name === target.canary)!;
    inserted.push({ name: AB_RULE, matches, backendRefs: [{ ...canary, weight: 1 }] });
  }
  return { start: index, items: [...inserted, next] };
}

/** The whole HTTPRoute as `state` would leave it: the original with the target rule's region in place of the target rule. */
export function renderHttpRoute(original: HTTPRouteObject, target: HTTPRouteTarget, state: TrafficState): HTTPRouteObject {
  const { start, items } = ruleRegionOf(original, target, state);
  const rules = original.spec.rules ?? [];
  return { ...structuredClone(original), spec: { ...structuredClone(original.spec), rules: [...structuredClone(rules.slice(0, start)), ...items, ...structuredClone(rules.slice(start + 1))] } };
}
