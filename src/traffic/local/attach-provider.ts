/**
 * The `local-attach` traffic provider: acts on a local mesh running in another process
 * (`mesh-exp mesh`), through its admin API (`spec.local.attach` is the admin URL). Because that
 * mesh outlives a crashed run, this is the provider `mesh-exp recover` can restore through.
 *
 * States render from the snapshot exactly as with the in-process `local` provider (render.ts).
 * Every write is conditional on the resourceVersion of the provider's previous read or write, so a
 * change by anyone else is noticed, never overwritten. From the claim on, each object written
 * carries the ownership mark (annotation `mesh-exp.dev/journal: <absolute journal path>`): a new
 * run that sees it refuses to start, and restore (here or in `mesh-exp recover`) overwrites only an
 * object that carries this run's mark. Restore writes the original, which has no mark.
 *
 * With `traffic.policy` the DestinationRule it changes is handled the same way beside the
 * VirtualService (`attach-policy.ts`), through the mesh's DestinationRule API: snapshotted
 * (`policyOriginal`), marked, written when a step's rendering of it changes, restored.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError, TargetBusyError } from '../../errors.js';
import type { Failpoint } from '../../failpoints.js';
import type { VirtualService } from '../../istio/types.js';
import { ConfigConflictError, createAdminClient, type AdminClient } from '../../mesh/admin/admin-client.js';
import { checkPlannedStates } from '../preflight.js';
import { renderVirtualService } from '../render.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficProvider, TrafficSnapshot, TrafficState } from '../types.js';
import { OWNER_ANNOTATION, markOf, withMark, withoutMark } from '../ownership.js';
import { createAttachedRule } from './attach-policy.js';

export { OWNER_ANNOTATION, markOf, withMark, withoutMark } from '../ownership.js';

/** Options for {@link createAttachProvider}. */
export interface AttachProviderOptions {
  /** The name it is registered under (registry.ts): it answers to it and journals it in its snapshot, where recover looks it up. */
  name: string;
  /** Admin URL of the running mesh, e.g. "http://127.0.0.1:15020". */
  endpoint: string;
  /** The experiment's target (enough for restore alone: namespace and name). */
  target: TargetRef & { virtualService: string; namespace?: string };
  /** Every state the run will apply; preflight renders each. @default [] */
  plannedStates?: TrafficState[];
  /** Crash points (`mid-restore`). @default none */
  failpoint?: Failpoint;
  /** Epoch-ms clock for the snapshot time. @default Date.now */
  now?: () => number;
  /** The admin client. @default one for `endpoint` */
  client?: AdminClient;
}

/** Creates the local-attach provider. */
export function createAttachProvider(options: AttachProviderOptions): TrafficProvider<VirtualService> {
  const { endpoint, target } = options;
  const client = options.client ?? createAdminClient({ url: endpoint });
  const namespace = target.namespace ?? 'default';
  const name = target.virtualService;
  const where = `VirtualService ${namespace}/${name} of the mesh at ${endpoint}`;
  const now = options.now ?? Date.now;
  let snap: TrafficSnapshot<VirtualService> | undefined;
  let owner: string | undefined;
  // resourceVersion of this provider's last read (snapshot) or write: the condition of the next write.
  let version: string | undefined;
  const rule = createAttachedRule({ client, endpoint, target, plannedStates: options.plannedStates ?? [] });

  const read = async () => {
    const found = await client.getVirtualService(namespace, name);
    if (!found) {
      throw new RuntimeError(`${where} does not exist`, { hint: `check target.namespace and target.virtualService; ${endpoint}/config_dump lists what the mesh serves` });
    }
    return found;
  };
  const refuseMarked = (vs: VirtualService) => {
    const mark = markOf(vs);
    if (mark) throw new TargetBusyError(`${where} is held by another run (annotation ${OWNER_ANNOTATION}: ${mark})`, { owner: mark });
  };
  const rendered = (state: TrafficState) => {
    if (!snap) throw new RuntimeError('internal: apply before snapshot');
    const vs = renderVirtualService(snap.original, target, state);
    return owner ? withMark(vs, owner) : vs;
  };
  const write = async (vs: VirtualService) => {
    try {
      version = (await client.putVirtualService(vs, namespace, version)).resourceVersion;
    } catch (err) {
      if (!(err instanceof ConfigConflictError)) throw err;
      throw new RuntimeError(`${where} was changed by someone else during the run`, {
        cause: err,
        hint: 'mesh-exp restores it only while it carries this run\'s mark; see the journal for the original',
      });
    }
  };

  return {
    name: options.name,
    current: async () => (await read()).virtualService,

    async preflight() {
      const info = await client.info();
      if (!info.configWrites) throw new RuntimeError(`the mesh at ${endpoint} is read-only`, { hint: 'start `mesh-exp mesh` without --read-only' });
      const { virtualService } = await read();
      // Before the planned states: a held object may have the holder's routes in it.
      refuseMarked(virtualService);
      const { destinationRules } = await client.configDump();
      checkPlannedStates(virtualService, target, options.plannedStates ?? [], destinationRules);
      rule.preflight(destinationRules, info.namespace);
    },

    async snapshot() {
      const found = await read();
      refuseMarked(found.virtualService);
      const policyOriginal = await rule.snapshot();
      version = found.resourceVersion;
      snap = { provider: options.name, endpoint, original: found.virtualService, takenAt: now(), ...(policyOriginal ? { policyOriginal } : {}) };
      return structuredClone(snap);
    },

    async claim(mark) {
      if (!snap) throw new RuntimeError('internal: claim before snapshot');
      try {
        version = (await client.putVirtualService(withMark(snap.original, mark), namespace, version)).resourceVersion;
        owner = mark;
      } catch (err) {
        if (!(err instanceof ConfigConflictError)) throw err;
        const other = markOf((await client.getVirtualService(namespace, name).catch(() => undefined))?.virtualService);
        throw new TargetBusyError(`${where} changed between this run's snapshot and its claim${other ? ': another run claimed it' : ''}; nothing was changed`, {
          cause: err,
          ...(other ? { owner: other } : {}),
        });
      }
      try {
        await rule.claim(mark);
      } catch (err) {
        if (!(err instanceof ConfigConflictError)) throw err;
        // A refused claim leaves nothing changed: the VirtualService's mark comes off again.
        version = (await client.putVirtualService(snap.original, namespace, version)).resourceVersion;
        owner = undefined;
        const ruleName = snap.policyOriginal!.metadata.name;
        const other = markOf((await client.getDestinationRule(namespace, ruleName).catch(() => undefined))?.destinationRule);
        throw new TargetBusyError(`DestinationRule ${namespace}/${ruleName} of the mesh at ${endpoint} changed between this run's snapshot and its claim${other ? ': another run claimed it' : ''}; nothing was changed`, {
          cause: err,
          ...(other ? { owner: other } : {}),
        });
      }
    },

    async apply(state) {
      const vs = rendered(state);
      await rule.apply(state, owner);
      await write(vs);
      return structuredClone(vs);
    },

    async verify(state) {
      const served = await read();
      if (!isDeepStrictEqual(served.virtualService, rendered(state)) || served.resourceVersion !== version) {
        throw new RuntimeError(`the mesh does not serve the ${where} just applied`, { hint: `resourceVersion ${served.resourceVersion}, expected ${version}` });
      }
      await rule.verify();
    },

    async release(mark) {
      const live = await read();
      const ruleReleased = await rule.release(mark);
      if (markOf(live.virtualService) !== mark) return ruleReleased;
      await client.putVirtualService(withoutMark(live.virtualService), namespace, live.resourceVersion);
      return true;
    },

    async restore(snapshot) {
      // Both halves are tried: a VirtualService someone else changed must not keep the rule changed too.
      const failures: unknown[] = [];
      await restoreRoutes(snapshot).catch((err: unknown) => void failures.push(err));
      await rule.restore(snapshot.policyOriginal, snapshot.owner ?? owner).catch((err: unknown) => void failures.push(err));
      if (failures.length) throw failures[0];
    },

    close: () => client.close(),
  };

  async function restoreRoutes(snapshot: TrafficSnapshot<VirtualService>): Promise<void> {
    const live = await read();
    if (isDeepStrictEqual(live.virtualService, snapshot.original)) return;
    const mark = snapshot.owner ?? owner;
    if (mark === undefined || markOf(live.virtualService) !== mark) {
      const found = markOf(live.virtualService);
      throw new RestoreError(`not overwriting ${where}: it differs from the original and ${found ? `is marked by another run (${found})` : 'no longer carries this run\'s mark'}, so someone else changed it`, {
        hint: 'compare it with the "snapshot" line of the journal and restore by hand if that is still wanted',
      });
    }
    // Conditional on what was just read: a concurrent write makes this fail (409) and restoreMesh retry.
    await client.putVirtualService(snapshot.original, namespace, live.resourceVersion);
    await options.failpoint?.('mid-restore');
  }
}
