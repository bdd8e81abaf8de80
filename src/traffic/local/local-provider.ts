/**
 * The `local` traffic provider: acts on the embedded local mesh. The mesh holds the live
 * VirtualService; this provider snapshots it, renders each state from the snapshot (never from the
 * previous step, so nothing accumulates), applies, verifies the mesh serves exactly that object,
 * and restores the snapshot's original. With `traffic.policy` the DestinationRule it changes is
 * snapshotted too (`policyOriginal`), rendered from its original at every step and handed to the
 * mesh with the VirtualService in one live reconfiguration, so the mesh never serves one without
 * the other; restore puts both back and checks both.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError } from '../../errors.js';
import { findPlannedRule } from '../policy-rule.js';
import { renderDestinationRule } from '../render-policy.js';
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
  const states = options.plannedStates ?? [];
  const ruleKey = (dr: DestinationRule) => `${dr.metadata.namespace ?? namespace}/${dr.metadata.name}`;
  // The rule the states' policy changes, as the mesh serves it now (undefined: no policy planned).
  const plannedRule = () => findPlannedRule(mesh.getDestinationRules(), target, states);
  const servedRule = (original: DestinationRule) => mesh.getDestinationRules().find((dr) => ruleKey(dr) === ruleKey(original));

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
      checkPlannedStates(await current(), target, states, options.destinationRules);
      // A missing rule or subset refuses the run here, for every planned state, before any change.
      plannedRule();
    },

    async snapshot() {
      const rule = plannedRule();
      snap = { provider: options.name, original: await current(), takenAt: now(), ...(rule ? { policyOriginal: structuredClone(rule) } : {}) };
      return structuredClone(snap);
    },

    async apply(state) {
      if (!snap) throw new RuntimeError('internal: apply before snapshot');
      const vs = renderVirtualService(snap.original, target, state);
      const generationBefore = mesh.generation;
      if (snap.policyOriginal) {
        // Rendered from the original at every step: a state without a policy (the promotion) puts the rule back.
        await mesh.applyObjects({ virtualServices: [structuredClone(vs)], destinationRules: [renderDestinationRule(snap.policyOriginal, state.policy)] });
      } else {
        mesh.applyVirtualService(structuredClone(vs));
      }
      applied = { vs, generationBefore };
      return structuredClone(vs);
    },

    async verify(state) {
      if (!snap || !applied) throw new RuntimeError('internal: verify before apply');
      const expected = renderVirtualService(snap.original, target, state);
      const served = mesh.getVirtualService(namespace, target.virtualService);
      const rule = snap.policyOriginal;
      const ruleServed = !rule || isDeepStrictEqual(servedRule(rule), renderDestinationRule(rule, state.policy));
      if (!isDeepStrictEqual(served, expected) || !ruleServed || mesh.generation <= applied.generationBefore) {
        throw new RuntimeError(`the local mesh does not serve the ${where}${rule ? ` and DestinationRule ${ruleKey(rule)}` : ''} just applied`, {
          hint: `generation ${applied.generationBefore} → ${mesh.generation}; this is a bug in the local mesh`,
        });
      }
    },

    async restore(snapshot) {
      try {
        const served = mesh.getVirtualService(namespace, target.virtualService);
        const rule = snapshot.policyOriginal;
        const ruleChanged = rule !== undefined && !isDeepStrictEqual(servedRule(rule), rule);
        // Idempotent: re-applying an identical object is harmless, but skip it to keep generations meaningful.
        if (ruleChanged) await mesh.applyObjects({ virtualServices: [structuredClone(snapshot.original)], destinationRules: [structuredClone(rule)] });
        else if (!isDeepStrictEqual(served, snapshot.original)) mesh.applyVirtualService(structuredClone(snapshot.original));
        const after = mesh.getVirtualService(namespace, target.virtualService);
        // Plain on purpose: caught just below and wrapped in the RestoreError the user sees.
        if (!isDeepStrictEqual(after, snapshot.original)) throw new Error('served object differs from the snapshot');
        if (rule && !isDeepStrictEqual(servedRule(rule), rule)) throw new Error(`served DestinationRule ${ruleKey(rule)} differs from the snapshot`);
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
