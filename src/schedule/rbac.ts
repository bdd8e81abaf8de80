/**
 * The least privilege of a scheduled run: the union, per namespace, of the rules each provider it
 * uses and each distributed-load generator declares (their registry entries' `rbac`: providers own
 * their operations), and nothing else. A provider that makes no Kubernetes request (local: the mesh
 * runs inside the pod; local-attach: a running mesh's admin API) adds no rule.
 */
import { UsageError } from '../errors.js';
import type { DistributedRegistry } from '../load/distributed/registry.js';
import { type PolicyRule, unionRules } from '../kube/policy-rules.js';
import type { TrafficRegistry } from '../traffic/registry.js';
import type { ProviderUse } from './runnable.js';

/** The registries the rules come from. */
export interface RbacSources {
  /** Traffic providers by name. */
  traffic: TrafficRegistry;
  /** Distributed-load builders by generator. */
  distributed: DistributedRegistry;
}

/** The Role rules each namespace needs, namespaces sorted; a namespace that needs none is absent. */
export function roleRulesOf(uses: readonly ProviderUse[], sources: RbacSources): Map<string, PolicyRule[]> {
  const wanted = new Map<string, PolicyRule[]>();
  const need = (namespace: string, rules: readonly PolicyRule[]) => wanted.set(namespace, [...(wanted.get(namespace) ?? []), ...rules]);
  for (const use of uses) {
    const entry = sources.traffic.get(use.provider);
    // An attached run reaches the mesh through its admin API (the provider's `attached` one).
    const acting = use.attach !== undefined && entry.reach === 'in-process' && entry.attached !== undefined ? sources.traffic.get(entry.attached) : entry;
    need(use.namespace, acting.rbac);
    if (use.distributed) need(use.distributed.namespace, sources.distributed.get(use.distributed.generator)().rbac);
  }
  const out = new Map<string, PolicyRule[]>();
  for (const namespace of [...wanted.keys()].sort()) {
    const rules = unionRules(wanted.get(namespace)!);
    if (rules.length) out.set(namespace, rules);
  }
  return out;
}

/**
 * Refuses what cannot work from a pod: a local mesh attached at a loopback address is the pod
 * itself there, not the mesh the file means.
 */
export function checkReachableFromPod(uses: readonly ProviderUse[]): void {
  for (const use of uses) {
    if (use.attach === undefined) continue;
    const host = new URL(use.attach).hostname;
    if (host === 'localhost' || /^127\./.test(host) || host === '[::1]') {
      throw new UsageError(`${use.experiment}: spec.local.attach is ${use.attach}, a loopback address: inside the scheduled pod that is the pod itself, not your mesh`, {
        hint: 'attach to an address the pod can reach (e.g. the Service of a `mesh-exp mesh` in the cluster), or drop attach to run the local mesh inside the pod',
      });
    }
  }
}
