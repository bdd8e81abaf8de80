/**
 * What each provider and distributed-load generator declares it needs (`rbac`, from which `mesh-exp
 * schedule` builds a scheduled run's Role) is granted by the Role mesh-exp ships (deploy/rbac.yaml),
 * which the RBAC tests against localkube prove enough for whole runs: the declarations cannot ask
 * for a verb the shipped Role never needed, nor forget a kind it grants for them.
 */
import { describe, expect, it } from 'vitest';
import { createDefaultDistributedRegistry } from '../../../src/load/distributed/registry.js';
import type { PolicyRule } from '../../../src/kube/policy-rules.js';
import { createDefaultTrafficRegistry } from '../../../src/traffic/registry.js';
import { SHIPPED_ROLE } from '../../support/shipped-rbac.js';

/** "group/resource verb" for every grant of `rules`. */
const grants = (rules: readonly PolicyRule[]) => new Set(rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}/${res} ${v}`)))));
const shipped = grants(SHIPPED_ROLE.rules!.map((r) => ({ apiGroups: r.apiGroups!, resources: r.resources!, verbs: r.verbs })));

describe('declared RBAC against deploy/rbac.yaml', () => {
  const traffic = createDefaultTrafficRegistry();
  const distributed = createDefaultDistributedRegistry();

  it.each(traffic.names())('provider %s asks only for what the shipped Role grants', (name) => {
    for (const g of grants(traffic.get(name).rbac)) expect(shipped, g).toContain(g);
  });

  it.each(distributed.names())('distributed generator %s asks only for what the shipped Role grants', (name) => {
    for (const g of grants(distributed.get(name)().rbac)) expect(shipped, g).toContain(g);
  });

  it('every kind the shipped Role grants is declared by some provider or generator (watch and Gateways: `mesh-exp mesh --kubeconfig`, not a run)', () => {
    const declared = grants([...traffic.values().flatMap((e) => e.rbac), ...distributed.values().flatMap((f) => f().rbac)]);
    const kinds = (s: Set<string>) => new Set([...s].map((g) => g.split(' ')[0]));
    expect([...kinds(shipped)].filter((k) => k !== 'networking.istio.io/gateways').sort()).toEqual([...kinds(declared)].sort());
    // What the shipped Role grants beyond a run's needs: watch, and reading Gateways, for the watching mesh.
    expect([...shipped].filter((g) => !declared.has(g)).sort()).toEqual([
      'gateway.networking.k8s.io/httproutes watch',
      'networking.istio.io/destinationrules watch',
      'networking.istio.io/gateways get',
      'networking.istio.io/gateways list',
      'networking.istio.io/gateways watch',
      'networking.istio.io/virtualservices watch',
    ]);
  });
});
