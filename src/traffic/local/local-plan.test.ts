import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors.js';
import type { ManifestSet } from '../../istio/manifests.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { PlanSources } from '../types.js';
import { planLocal } from './local-plan.js';

const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ name: 'main', route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
};
const rule: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets: [{ name: 'v1' }, { name: 'v2' }] },
};
const target = { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2', provider: 'local' };
const sources = (set: ManifestSet): PlanSources => ({
  manifests: async () => set,
  endpoint: undefined,
  kube: { env: {}, cwd: '.' },
  logger: { debug() {}, info() {}, warn() {}, error() {} } as unknown as PlanSources['logger'],
});
const policy = { subset: 'v2', connectionPool: { tcp: { maxConnections: 2 } } };

describe('planLocal with traffic.policy', () => {
  it('carries the DestinationRule as it is and as each step and the promotion leave it', async () => {
    const plan = await planLocal(
      { provider: 'local', target, states: [{ canaryWeight: 10, policy }, { canaryWeight: 50, policy }], promotion: { canaryWeight: 100 } },
      sources({ virtualServices: [vs], destinationRules: [rule], files: [] }),
    );
    expect(plan.destinationRule).toEqual(rule);
    expect(plan.steps.map((s) => s.destinationRule!.spec.subsets![1]!.trafficPolicy)).toEqual([{ connectionPool: policy.connectionPool }, { connectionPool: policy.connectionPool }]);
    // Promotion removes the policy: the rule as it is.
    expect(plan.promotion!.destinationRule).toEqual(rule);
  });

  it('carries no DestinationRule without a policy', async () => {
    const plan = await planLocal({ provider: 'local', target, states: [{ canaryWeight: 10 }] }, sources({ virtualServices: [vs], destinationRules: [rule], files: [] }));
    expect(plan.destinationRule).toBeUndefined();
    expect(plan.steps[0]!.destinationRule).toBeUndefined();
  });

  it('refuses a subset the rule does not define', async () => {
    const planned = planLocal({ provider: 'local', target, states: [{ policy: { ...policy, subset: 'v7' } }] }, sources({ virtualServices: [vs], destinationRules: [rule], files: [] }));
    await expect(planned).rejects.toBeInstanceOf(ValidationError);
  });
});
