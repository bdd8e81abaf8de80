/** The Role and RoleBinding mesh-exp ships (deploy/rbac.yaml), for the RBAC tests against localkube. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { V1PolicyRule, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './cli.js';

const docs = parseAllDocuments(readFileSync(path.join(REPO_ROOT, 'deploy/rbac.yaml'), 'utf8')).map((d) => d.toJS() as { kind: string });

/** The shipped Role. */
export const SHIPPED_ROLE = docs.find((d) => d.kind === 'Role') as V1Role;
/** The shipped RoleBinding. */
export const SHIPPED_BINDING = docs.find((d) => d.kind === 'RoleBinding') as V1RoleBinding;

/**
 * The shipped Role's rules, minus `verb` on `resource` when given: `resource` is split out of its
 * rule so that only it loses the verb.
 */
export function rulesWithout(without?: { verb: string; resource: string }): V1PolicyRule[] {
  return SHIPPED_ROLE.rules!.flatMap((r) => {
    if (!without || !r.resources!.includes(without.resource)) return [r];
    const rest = r.resources!.filter((x) => x !== without.resource);
    return [{ ...r, resources: [without.resource], verbs: r.verbs.filter((v) => v !== without.verb) }, ...(rest.length ? [{ ...r, resources: rest }] : [])];
  });
}
