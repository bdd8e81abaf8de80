/**
 * Cross-field rules about `spec.target` and the provider it names (see rules.ts for the contract).
 * - Providers local and istio act on a VirtualService (`virtualService` required); gateway-api on
 *   an HTTPRoute (`httpRoute` required). The other kind's fields are refused, not ignored.
 * - The Gateway API has no fault injection: `traffic.fault` with gateway-api is refused here, before
 *   anything runs, rather than in preflight; so is `traffic.retries` (no `retry` in the v1.6
 *   standard-channel HTTPRouteRule).
 * - `spec.local` belongs to provider local only.
 */
import type { PathSegment } from '../input/locate.js';
import type { RuleInput, RuleProblem } from './rule-types.js';

const P = (...rest: PathSegment[]): PathSegment[] => ['spec', ...rest];

/** Problems of the target section on its own and with the traffic section. */
export function targetRules({ spec, valid }: RuleInput): RuleProblem[] {
  const target = valid.has('target') ? spec.target : undefined;
  if (!target) return [];
  const out: RuleProblem[] = [];
  if (target.stable === target.canary) {
    out.push({ path: P('target', 'canary'), message: `the canary is the same subset as the stable ("${target.stable}")`, hint: 'the canary must be another subset of target.host' });
  }
  const unused = (key: string, why: string, hint: string): RuleProblem => ({ path: P('target', key), message: why, hint, pointAt: 'key' });
  if (target.provider === 'gateway-api') {
    if (target.httpRoute === undefined) {
      out.push({ path: P('target'), message: 'httpRoute is required with provider gateway-api: the HTTPRoute whose backendRefs weights shift', hint: 'add "httpRoute: <name>" under target', pointAt: 'key' });
    }
    if (target.virtualService !== undefined) {
      out.push(unused('virtualService', 'not used with provider gateway-api: it acts on an HTTPRoute', 'remove target.virtualService and name the HTTPRoute with target.httpRoute, or set target.provider: istio'));
    }
    if (valid.has('traffic') && spec.traffic?.fault) {
      out.push({
        path: P('traffic', 'fault'),
        message: 'the Gateway API has no fault injection (delay, abort), so provider gateway-api cannot apply it',
        hint: 'inject faults with provider istio on a VirtualService',
        pointAt: 'key',
      });
    }
    if (valid.has('traffic') && spec.traffic?.retries) {
      // HTTPRouteRule.retry is in the standard channel only from Gateway API v1.7; mesh-exp targets
      // (and tests against) the v1.6 standard-channel CRD, which prunes it, so it is refused, not dropped.
      out.push({
        path: P('traffic', 'retries'),
        message: 'the Gateway API HTTPRoute (standard channel before v1.7) has no retry policy, so provider gateway-api cannot apply it',
        hint: 'set retries with provider istio on a VirtualService, or drop traffic.retries for this HTTPRoute',
        pointAt: 'key',
      });
    }
    return out;
  }
  if (target.virtualService === undefined) {
    out.push({ path: P('target'), message: `virtualService is required with provider ${target.provider}: the VirtualService to act on`, hint: 'add "virtualService: <name>" under target (or, for an HTTPRoute, set provider: gateway-api and httpRoute)', pointAt: 'key' });
  }
  for (const key of ['httpRoute', 'stableService', 'canaryService'] as const) {
    if (target[key] !== undefined) out.push(unused(key, `only used with provider gateway-api, but target.provider is ${target.provider}`, `remove target.${key}, or set target.provider: gateway-api`));
  }
  return out;
}

/** Problems of `spec.local` against the provider. */
export function providerRules({ spec, valid }: RuleInput): RuleProblem[] {
  if (!valid.has('target') || !valid.has('local') || !spec.target) return [];
  const provider = spec.target.provider;
  if (provider === 'local' && !spec.local) {
    return [{
      path: P('local'),
      message: 'required with provider local (the default): it names the Istio manifests the local mesh runs',
      hint: 'add "local: { manifests: [./istio/] }" under spec, or set target.provider: istio',
    }];
  }
  if (provider !== 'local' && spec.local) {
    return [{ path: P('local'), message: `only used with provider local, but target.provider is ${provider}`, hint: 'remove spec.local, or set target.provider: local', pointAt: 'key' }];
  }
  return [];
}
