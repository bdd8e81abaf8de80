import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { DestinationRule, VirtualService } from '../istio/types.js';
import { createDefaultTrafficRegistry, selectProvider } from './registry.js';
import type { PlanSources } from './types.js';

const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ name: 'main', route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 0 }] }] },
};
const rule: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};
const target = { namespace: 'default', virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' };
const sources = (manifests: VirtualService[] | undefined): PlanSources => ({
  manifests: async () => (manifests ? { virtualServices: manifests, destinationRules: [rule], files: [] } : undefined),
  endpoint: undefined,
  kube: { env: {}, cwd: '/' },
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
});

describe('the default traffic registry', () => {
  it('declares how each provider reaches its target', () => {
    const registry = createDefaultTrafficRegistry();
    expect(Object.fromEntries(registry.names().map((n) => [n, registry.get(n).reach]))).toEqual({
      local: 'in-process',
      'local-attach': 'admin-api',
      istio: 'kube',
      'gateway-api': 'kube',
    });
  });

  it('selects the attached provider only when the experiment attaches to a running mesh', () => {
    const registry = createDefaultTrafficRegistry();
    expect(selectProvider(registry, 'local', undefined).name).toBe('local');
    expect(selectProvider(registry, 'local', 'http://127.0.0.1:15020').name).toBe('local-attach');
    expect(selectProvider(registry, 'istio', 'http://127.0.0.1:15020').name).toBe('istio');
    expect(() => selectProvider(registry, 'nope', undefined)).toThrow(UsageError); // an unknown name is a usage error (exit 2), as in every registry
  });

  it('plans the local provider from the manifests, one change per state, without patches', async () => {
    const plan = await createDefaultTrafficRegistry().get('local').plan({ provider: 'local', target, states: [{ canaryWeight: 20 }], promotion: { canaryWeight: 100 } }, sources([vs]));
    expect(plan.current).toEqual(vs);
    expect(plan.routeLabel).toBe('"main"');
    expect(plan.steps).toHaveLength(1);
    expect((plan.steps[0]!.object as VirtualService).spec.http![0]!.route!.map((d) => d.weight)).toEqual([80, 20]);
    expect(plan.promotion?.patch).toBeUndefined();
    expect(plan.restorePatch).toBeUndefined();
  });

  it('refuses to plan the local provider without manifests (usage error naming the provider)', async () => {
    const planning = createDefaultTrafficRegistry().get('local').plan({ provider: 'local', target, states: [] }, sources(undefined));
    await expect(planning).rejects.toThrow(UsageError);
    await expect(planning).rejects.toThrow('provider local has no local manifests');
  });
});
