/**
 * RBAC policy rules as a Role holds them, and their union: each traffic provider and each
 * distributed-load generator declares the rules its own operations need (its registry entry's
 * `rbac`), and `mesh-exp schedule` unions those of what a run uses into one least-privilege Role.
 */

/** One rule of a Role (rbac.authorization.k8s.io/v1 PolicyRule, the namespaced part). */
export interface PolicyRule {
  /** API groups ("" is the core group). */
  apiGroups: string[];
  /** Plural resource names, e.g. "virtualservices". */
  resources: string[];
  /** Verbs, e.g. "get", "patch". */
  verbs: string[];
}

// The order verbs are written in (kubectl's habit: read, then write, then delete).
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const verbRank = (v: string) => (VERB_ORDER.includes(v) ? VERB_ORDER.indexOf(v) : VERB_ORDER.length);
const byVerb = (a: string, b: string) => verbRank(a) - verbRank(b) || a.localeCompare(b);

/**
 * The union of `rules`: every (group, resource) gets every verb any rule gives it, and resources of
 * one group with the same verbs share a rule. The result is canonical (groups, resources and verbs
 * sorted), so the same needs always give the same Role and a second apply changes nothing.
 */
export function unionRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const verbs = new Map<string, Map<string, Set<string>>>();
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      const resources = verbs.get(group) ?? new Map<string, Set<string>>();
      verbs.set(group, resources);
      for (const resource of rule.resources) {
        const set = resources.get(resource) ?? new Set<string>();
        resources.set(resource, set);
        for (const verb of rule.verbs) set.add(verb);
      }
    }
  }
  const out: PolicyRule[] = [];
  for (const group of [...verbs.keys()].sort()) {
    const shared = new Map<string, string[]>();
    for (const [resource, set] of [...verbs.get(group)!].sort(([a], [b]) => a.localeCompare(b))) {
      if (set.size === 0) continue;
      const key = [...set].sort(byVerb).join(',');
      shared.set(key, [...(shared.get(key) ?? []), resource]);
    }
    for (const [key, resources] of shared) out.push({ apiGroups: [group], resources, verbs: key.split(',') });
  }
  return out;
}
