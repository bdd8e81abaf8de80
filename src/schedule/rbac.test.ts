import { describe, expect, it } from 'vitest';
import { createDefaultDistributedRegistry } from '../load/distributed/registry.js';
import { createDefaultTrafficRegistry } from '../traffic/registry.js';
import { checkReachableFromPod, roleRulesOf } from './rbac.js';

const sources = { traffic: createDefaultTrafficRegistry(), distributed: createDefaultDistributedRegistry() };

describe('roleRulesOf', () => {
  it('unions the uses of one namespace: two providers and a generator, each verb once', () => {
    const rules = roleRulesOf(
      [
        { experiment: 'a', provider: 'istio', namespace: 'shop', distributed: { generator: 'k6', namespace: 'shop' } },
        { experiment: 'b', provider: 'gateway-api', namespace: 'shop', distributed: { generator: 'vegeta', namespace: 'shop' } },
        { experiment: 'c', provider: 'istio', namespace: 'shop' },
      ],
      sources,
    );
    expect([...rules.keys()]).toEqual(['shop']);
    expect(rules.get('shop')).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ['get', 'list', 'patch'] },
      { apiGroups: ['k6.io'], resources: ['testruns'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: ['networking.istio.io'], resources: ['destinationrules', 'virtualservices'], verbs: ['get', 'list', 'patch'] },
    ]);
  });

  it('gives a local mesh, in the pod or attached, no rules; an unknown provider is a usage error', () => {
    expect(roleRulesOf([{ experiment: 'a', provider: 'local', namespace: 'x' }, { experiment: 'b', provider: 'local', namespace: 'y', attach: 'http://mesh.ops:15020' }], sources).size).toBe(0);
    expect(() => roleRulesOf([{ experiment: 'a', provider: 'linkerd', namespace: 'x' }], sources)).toThrow(/unknown traffic provider "linkerd"/);
  });
});

describe('checkReachableFromPod', () => {
  it.each(['http://127.0.0.1:15020', 'http://localhost:15020', 'http://[::1]:15020'])('refuses the loopback attach %s', (attach) => {
    expect(() => checkReachableFromPod([{ experiment: 'a', provider: 'local', namespace: 'x', attach }])).toThrow(/a loopback address/);
  });
  it('accepts an address of the cluster', () => {
    expect(() => checkReachableFromPod([{ experiment: 'a', provider: 'local', namespace: 'x', attach: 'http://mesh.ops.svc:15020' }])).not.toThrow();
  });
});
