import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../istio/types.js';
import { ValidationError } from '../errors.js';
import { findPolicyRule, policyPointer, renderDestinationRule } from './render-policy.js';

const rule = (): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default', labels: { team: 'a' } },
  spec: {
    host: 'reviews',
    trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: { tcp: { maxConnections: 100 }, http: { maxRetries: 3 } } },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }],
  },
});

describe('renderDestinationRule', () => {
  it('renders no policy as an identical deep copy', () => {
    const original = rule();
    const out = renderDestinationRule(original, undefined);
    expect(out).toEqual(original);
    expect(out).not.toBe(original);
  });

  it('replaces a top-level setting whole (Istio merges settings objects, not fields) and keeps the rest', () => {
    const out = renderDestinationRule(rule(), { connectionPool: { http: { http1MaxPendingRequests: 1 } } });
    expect(out.spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: { http: { http1MaxPendingRequests: 1 } } });
    expect(out.spec.subsets).toEqual(rule().spec.subsets);
    expect(out.metadata).toEqual(rule().metadata);
  });

  it('changes only the named subset, keeping its other settings, and never the original', () => {
    const original = rule();
    const out = renderDestinationRule(original, { subset: 'v2', outlierDetection: { consecutive5xxErrors: 1, interval: '1s' } });
    expect(out.spec.subsets![1]!.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' }, outlierDetection: { consecutive5xxErrors: 1, interval: '1s' } });
    expect(out.spec.trafficPolicy).toEqual(original.spec.trafficPolicy);
    expect(original).toEqual(rule());
    expect(renderDestinationRule(rule(), { subset: 'v1', loadBalancer: { simple: 'RANDOM' } }).spec.subsets![0]!.trafficPolicy).toEqual({ loadBalancer: { simple: 'RANDOM' } });
  });

  it('points at the trafficPolicy it changes, and refuses an unknown subset naming the ones there are', () => {
    expect(policyPointer(rule(), { connectionPool: {} })).toBe('/spec/trafficPolicy');
    expect(policyPointer(rule(), { subset: 'v2', connectionPool: {} })).toBe('/spec/subsets/1/trafficPolicy');
    expect(() => policyPointer(rule(), { subset: 'v3', connectionPool: {} })).toThrow(ValidationError);
    try {
      renderDestinationRule(rule(), { subset: 'v3', connectionPool: {} });
    } catch (err) {
      expect((err as ValidationError).problems[0]!.hint).toContain('v1, v2');
    }
  });
});

describe('findPolicyRule', () => {
  const other: DestinationRule = { ...rule(), metadata: { name: 'ratings' }, spec: { host: 'ratings.default.svc.cluster.local' } };
  it('finds the rule by name, else by host (short or fully qualified)', () => {
    expect(findPolicyRule([other, rule()], { destinationRule: 'ratings' }, 'reviews').metadata.name).toBe('ratings');
    expect(findPolicyRule([other, rule()], {}, 'reviews').metadata.name).toBe('reviews');
    expect(findPolicyRule([other, rule()], {}, 'ratings').metadata.name).toBe('ratings');
  });
  it('refuses a missing name, no rule for the host, and two rules for it, listing what exists', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as ValidationError).problems.map((p) => `${p.message} | ${p.hint}`).join();
      }
      return 'no error';
    };
    expect(message(() => findPolicyRule([rule()], { destinationRule: 'nope' }, 'reviews'))).toMatch(/"nope" not found .* reviews \(host reviews\)/);
    expect(message(() => findPolicyRule([other], {}, 'reviews'))).toMatch(/no DestinationRule has host reviews/);
    expect(message(() => findPolicyRule([rule(), { ...rule(), metadata: { name: 'reviews-2' } }], {}, 'reviews'))).toMatch(/2 DestinationRules/);
  });
});
