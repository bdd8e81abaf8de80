import { describe, expect, it } from 'vitest';
import { AB_RULE, findTargetRule, renderHttpRoute, ruleRegionOf } from './rule-render.js';
import type { HTTPRouteObject, HTTPRouteTarget } from './types.js';

const route = (): HTTPRouteObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: {
    rules: [
      { name: 'testers', matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'end-user', type: 'Exact', value: 'jason' }] }], backendRefs: [{ name: 'reviews-v3', port: 9080, weight: 1 }] },
      { name: 'primary', matches: [{ path: { type: 'PathPrefix', value: '/reviews' } }], backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 1 }, { name: 'reviews-v2', port: 9080, weight: 0 }] },
    ],
  },
});
const target: HTTPRouteTarget = { namespace: 'shop', httpRoute: 'reviews', stable: 'reviews-v1', canary: 'reviews-v2', services: { v2: 'reviews-v2' } };

describe('findTargetRule', () => {
  it('finds the one rule naming both Services, or the rule named', () => {
    expect(findTargetRule(route(), target).index).toBe(1);
    expect(findTargetRule(route(), { ...target, rule: 'primary' }).index).toBe(1);
  });

  it('says which rules exist when none or several match', () => {
    expect(() => findTargetRule(route(), { ...target, rule: 'main' })).toThrow(/no rule named "main"/);
    const two = route();
    two.spec.rules!.push(structuredClone(two.spec.rules![1]!));
    expect(() => findTargetRule(two, target)).toThrow(/more than one rule with backendRefs to both reviews-v1 and reviews-v2/);
    const err = (() => {
      try {
        findTargetRule(route(), { ...target, canary: 'reviews-v9' });
      } catch (e) {
        return e as { hint?: string };
      }
      return undefined;
    })();
    expect(err?.hint).toMatch(/"testers" → reviews-v3:1; "primary" → reviews-v1:1,reviews-v2:0/);
  });

  it('refuses a rule that also sends to a third Service (relative weights would dilute the canary share)', () => {
    const r = route();
    r.spec.rules![1]!.backendRefs!.push({ name: 'reviews-v3', port: 9080, weight: 2 });
    expect(() => findTargetRule(r, target)).toThrow(/also sends to reviews-v3/);
    r.spec.rules![1]!.backendRefs![2]!.weight = 0;
    expect(findTargetRule(r, target).index).toBe(1);
  });
});

describe('ruleRegionOf', () => {
  it('writes stable 100 - w and canary w, everything else of the rule kept', () => {
    const region = ruleRegionOf(route(), target, { canaryWeight: 30 });
    expect(region.start).toBe(1);
    expect(region.items).toEqual([{ ...route().spec.rules![1], backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 70 }, { name: 'reviews-v2', port: 9080, weight: 30 }] }]);
    expect(ruleRegionOf(route(), target, {}).items).toEqual([route().spec.rules![1]]);
  });

  it('mirrors to the version\'s Service: whole percentages as percent, fractions as a fraction of a million', () => {
    const [rule] = ruleRegionOf(route(), target, { mirror: { subset: 'v2', percentage: 5 } }).items;
    expect(rule!.filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: 'reviews-v2', port: 9080 }, percent: 5 } }]);
    const [frac] = ruleRegionOf(route(), target, { mirror: { subset: 'v2', percentage: 0.25 } }).items;
    expect(frac!.filters![0]!.requestMirror).toMatchObject({ fraction: { numerator: 2500, denominator: 1_000_000 } });
  });

  it('inserts an A/B rule with the target rule\'s paths plus the headers, before it', () => {
    const region = ruleRegionOf(route(), target, { abMatch: [{ headers: { 'x-canary': { exact: 'yes' } } }, { headers: { cookie: { regex: '.*beta.*' } } }] });
    expect(region.items.map((r) => r.name)).toEqual([AB_RULE, 'primary']);
    expect(region.items[0]).toEqual({
      name: AB_RULE,
      matches: [
        { path: { type: 'PathPrefix', value: '/reviews' }, headers: [{ name: 'x-canary', type: 'Exact', value: 'yes' }] },
        { path: { type: 'PathPrefix', value: '/reviews' }, headers: [{ name: 'cookie', type: 'RegularExpression', value: '.*beta.*' }] },
      ],
      backendRefs: [{ name: 'reviews-v2', port: 9080, weight: 1 }],
    });
  });

  it('refuses what an HTTPRoute cannot express: faults, prefix and presence header matches, non-header matches', () => {
    expect(() => ruleRegionOf(route(), target, { fault: { abortStatus: 503 } })).toThrow(/no fault injection/);
    // HTTPRouteRule.retry is standard only from Gateway API v1.7; the v1.6 CRD mesh-exp targets prunes it.
    expect(() => ruleRegionOf(route(), target, { retries: { attempts: 2 } })).toThrow(/has no retry policy/);
    expect(() => ruleRegionOf(route(), target, { abMatch: [{ headers: { a: { prefix: 'x' } } }] })).toThrow(/by prefix has no HTTPRoute equivalent/);
    expect(() => ruleRegionOf(route(), target, { abMatch: [{ headers: { a: {} } }] })).toThrow(/on presence has no HTTPRoute equivalent/);
    expect(() => ruleRegionOf(route(), target, { abMatch: [{ uri: { prefix: '/x' } }] })).toThrow(/A\/B match on uri/);
  });
});

describe('renderHttpRoute', () => {
  it('splices the region in place of the target rule and leaves the original untouched', () => {
    const original = route();
    const out = renderHttpRoute(original, target, { canaryWeight: 50, abMatch: [{ headers: { 'x-canary': { exact: 'yes' } } }] });
    expect(out.spec.rules!.map((r) => r.name)).toEqual(['testers', AB_RULE, 'primary']);
    expect(out.spec.rules![2]!.backendRefs!.map((b) => b.weight)).toEqual([50, 50]);
    expect(original).toEqual(route());
  });
});
