/**
 * The DestinationRule half of the `local-attach` provider (`traffic.policy`): the rule the planned
 * policies change, on the running mesh, handled exactly like the VirtualService half — every write
 * conditional on the resourceVersion of this run's last read or write, the ownership mark on it from
 * the claim on, and a restore that overwrites only a rule carrying this run's mark (or leaves one
 * already equal to the original), read back and compared with the original afterwards.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError, TargetBusyError } from '../../errors.js';
import type { DestinationRule } from '../../istio/types.js';
import { ConfigConflictError, type AdminClient } from '../../mesh/admin/admin-client.js';
import { OWNER_ANNOTATION, markOf, withMark, withoutMark } from '../ownership.js';
import { findPlannedRule } from '../policy-rule.js';
import { renderDestinationRule } from '../render-policy.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';

/** The rule's operations, each a no-op when no policy is planned (or, for restore, snapshotted). */
export interface AttachedRule {
  /** Refuses a missing rule or subset (ValidationError) or a rule held by another run. */
  preflight(rules: readonly DestinationRule[], defaultNamespace: string): void;
  /** The rule as it is now, remembered as the original; undefined when no state has a policy. */
  snapshot(): Promise<DestinationRule | undefined>;
  /** Marks the rule; throws ConfigConflictError when it changed since the snapshot. */
  claim(mark: string): Promise<void>;
  /** Writes the rule `state` renders (skipped when it is what this run wrote last). */
  apply(state: TrafficState, owner: string | undefined): Promise<void>;
  /** Throws when the mesh does not serve what `apply` wrote. */
  verify(): Promise<void>;
  /** Removes the mark `mark`; false when the rule does not carry it. */
  release(mark: string): Promise<boolean>;
  /** Puts `original` back (only over this run's mark) and reads it back. */
  restore(original: DestinationRule | undefined, mark: string | undefined): Promise<void>;
}

/** Options of {@link createAttachedRule}. */
export interface AttachedRuleOptions {
  /** The mesh's admin client. */
  client: AdminClient;
  /** Admin URL, for messages. */
  endpoint: string;
  /** The experiment's target (the rule is found for its host, in its namespace). */
  target: TargetRef;
  /** Every state the run will apply. */
  plannedStates: readonly TrafficState[];
}

/** Creates the rule half of the provider. */
export function createAttachedRule(options: AttachedRuleOptions): AttachedRule {
  const { client, endpoint, target, plannedStates } = options;
  const namespace = target.namespace ?? 'default';
  let original: DestinationRule | undefined;
  let version: string | undefined;
  let written: DestinationRule | undefined;
  const where = (dr: DestinationRule) => `DestinationRule ${namespace}/${dr.metadata.name} of the mesh at ${endpoint}`;
  const read = async (dr: DestinationRule) => {
    const found = await client.getDestinationRule(namespace, dr.metadata.name);
    if (!found) throw new RuntimeError(`${where(dr)} does not exist`, { hint: `the rule traffic.policy changes must stay; ${endpoint}/config_dump lists what the mesh serves` });
    return found;
  };
  // The rule the planned policies change, as the mesh serves it (recover: the journaled states' policies).
  const planned = async () => findPlannedRule((await client.configDump()).destinationRules, target, plannedStates, (await client.info()).namespace);
  const refuseMarked = (dr: DestinationRule) => {
    const mark = markOf(dr);
    if (mark) throw new TargetBusyError(`${where(dr)} is held by another run (annotation ${OWNER_ANNOTATION}: ${mark})`, { owner: mark });
  };
  const write = async (dr: DestinationRule) => {
    try {
      version = (await client.putDestinationRule(dr, namespace, version)).resourceVersion;
      written = dr;
    } catch (err) {
      if (!(err instanceof ConfigConflictError)) throw err;
      throw new RuntimeError(`${where(dr)} was changed by someone else during the run`, {
        cause: err,
        hint: 'mesh-exp restores it only while it carries this run\'s mark; see the journal for the original',
      });
    }
  };

  return {
    preflight(rules, defaultNamespace) {
      const rule = findPlannedRule(rules, target, plannedStates, defaultNamespace);
      if (rule) refuseMarked(rule);
    },
    async snapshot() {
      const rule = await planned();
      if (!rule) return undefined;
      const found = await read(rule);
      refuseMarked(found.destinationRule);
      version = found.resourceVersion;
      original = found.destinationRule;
      return structuredClone(original);
    },
    async claim(mark) {
      if (!original) return;
      version = (await client.putDestinationRule(withMark(original, mark), namespace, version)).resourceVersion;
      written = withMark(original, mark);
    },
    async apply(state, owner) {
      if (!original) return;
      const dr = renderDestinationRule(original, state.policy);
      const next = owner ? withMark(dr, owner) : dr;
      // Once per change: rewriting the same rule would rebuild its clusters (and their breakers) mid-step.
      if (!isDeepStrictEqual(next, written)) await write(next);
    },
    async verify() {
      if (!original || !written) return;
      const served = await read(original);
      if (!isDeepStrictEqual(served.destinationRule, written) || served.resourceVersion !== version) {
        throw new RuntimeError(`the mesh does not serve the ${where(original)} just applied`, { hint: `resourceVersion ${served.resourceVersion}, expected ${version}` });
      }
    },
    async release(mark) {
      const rule = original ?? (await planned());
      if (!rule) return false;
      const live = await read(rule);
      if (markOf(live.destinationRule) !== mark) return false;
      await client.putDestinationRule(withoutMark(live.destinationRule), namespace, live.resourceVersion);
      return true;
    },
    async restore(rule, mark) {
      if (!rule) return;
      const live = await read(rule);
      if (!isDeepStrictEqual(live.destinationRule, rule)) {
        if (mark === undefined || markOf(live.destinationRule) !== mark) {
          const found = markOf(live.destinationRule);
          throw new RestoreError(`not overwriting ${where(rule)}: it differs from the original and ${found ? `is marked by another run (${found})` : 'no longer carries this run\'s mark'}, so someone else changed it`, {
            hint: 'compare it with the "policyOriginal" of the journal\'s "snapshot" line and restore by hand if that is still wanted',
          });
        }
        // Conditional on what was just read: a concurrent write makes this fail (409) and restoreMesh retry.
        await client.putDestinationRule(rule, namespace, live.resourceVersion);
      }
      const after = await read(rule);
      // Plain: restoreMesh retries, then reports it as the restore's failure.
      if (!isDeepStrictEqual(after.destinationRule, rule)) throw new Error(`the ${where(rule)} read back after the restore differs from the original`);
    },
  };
}
