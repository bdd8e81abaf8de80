/**
 * The `local` traffic provider: acts on the embedded local mesh. The mesh holds the live
 * VirtualService; this provider snapshots it, renders each state from the snapshot (never from the
 * previous step, so nothing accumulates), applies, verifies the mesh serves exactly that object,
 * and restores the snapshot's original.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError } from '../../errors.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { LocalMesh } from '../../mesh/types.js';
import { renderVirtualService } from '../render.js';
import { checkPlannedStates } from '../preflight.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficProvider, TrafficSnapshot, TrafficState } from '../types.js';

/** Options for {@link createLocalProvider}. */
export interface LocalProviderOptions {
  /** The name it is registered under (registry.ts): it answers to it and journals it in its snapshot, where recover looks it up. */
  name: string;
  /** The running local mesh. */
  mesh: LocalMesh;
  /** The experiment's target (the VirtualService by namespace/name, and the route within it). */
  target: TargetRef & { virtualService: string; namespace?: string };
  /** DestinationRules loaded with the mesh; preflight checks the subsets the states use exist. @default subsets not checked */
  destinationRules?: DestinationRule[];
  /** Every state the run will apply; preflight renders each so a bad one fails before any change. @default [] */
  plannedStates?: TrafficState[];
  /** Epoch-ms clock for the snapshot time. @default Date.now */
  now?: () => number;
}

/** Creates the local provider. */
export function createLocalProvider(options: LocalProviderOptions): TrafficProvider<VirtualService> {
  const { mesh, target } = options;
  const namespace = target.namespace ?? 'default';
  const now = options.now ?? Date.now;
  const where = `VirtualService ${namespace}/${target.virtualService}`;
  let snap: TrafficSnapshot<VirtualService> | undefined;
  let applied: { vs: VirtualService; generationBefore: number } | undefined;

  const current = async (): Promise<VirtualService> => {
    const vs = mesh.getVirtualService(namespace, target.virtualService);
    if (!vs) {
      throw new RuntimeError(`${where} is not served by the local mesh`, {
        hint: 'check target.virtualService/namespace against the manifests listed in local.manifests',
      });
    }
    return structuredClone(vs);
  };

  return {
    name: options.name,
    current,

    async preflight() {
      checkPlannedStates(await current(), target, options.plannedStates ?? [], options.destinationRules);
    },

    async snapshot() {
      snap = { provider: options.name, original: await current(), takenAt: now() };
      return structuredClone(snap);
    },

    async apply(state) {
      if (!snap) throw new RuntimeError('internal: apply before snapshot');
      const vs = renderVirtualService(snap.original, target, state);
      const generationBefore = mesh.generation;
      mesh.applyVirtualService(structuredClone(vs));
      applied = { vs, generationBefore };
      return structuredClone(vs);
    },

    async verify(state) {
      if (!snap || !applied) throw new RuntimeError('internal: verify before apply');
      const expected = renderVirtualService(snap.original, target, state);
      const served = mesh.getVirtualService(namespace, target.virtualService);
      if (!isDeepStrictEqual(served, expected) || mesh.generation <= applied.generationBefore) {
        throw new RuntimeError(`the local mesh does not serve the ${where} just applied`, {
          hint: `generation ${applied.generationBefore} → ${mesh.generation}; this is a bug in the local mesh`,
        });
      }
    },

    async restore(snapshot) {
      try {
        const served = mesh.getVirtualService(namespace, target.virtualService);
        // Idempotent: re-applying an identical object is harmless, but skip it to keep generations meaningful.
        if (!isDeepStrictEqual(served, snapshot.original)) mesh.applyVirtualService(structuredClone(snapshot.original));
        const after = mesh.getVirtualService(namespace, target.virtualService);
        // Plain on purpose: caught just below and wrapped in the RestoreError the user sees.
        if (!isDeepStrictEqual(after, snapshot.original)) throw new Error('served object differs from the snapshot');
      } catch (err) {
        throw new RestoreError(`could not restore ${where}: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
          hint: 'the original object is in the run directory journal (journal.jsonl, type "snapshot")',
        });
      }
    },

    async close() {
      // The mesh belongs to whoever started it (the runner closes it).
    },
  };
}
