/**
 * The DestinationRule half of both Kubernetes providers (`traffic.policy`): the managed region is
 * the one `trafficPolicy` the policy changes (`policyPointer`: the rule's, or one subset's, found
 * by the subset's name in the live object each time). Every write is a JSON patch that `test`s the
 * region where it was found and replaces only it (`valuePatch`), so anyone's edits to the rest of
 * the rule survive; refusals are retried by the shared patch loop.
 *
 * Ownership: the run marks the DestinationRule too (the same annotation as the routing object,
 * with a resourceVersion precondition). The routing object's mark does not cover it: a second run
 * on another VirtualService or HTTPRoute may name the same rule, would snapshot the first run's
 * policy as its "original" and restore that. With the mark, its snapshot refuses the held rule
 * (TargetBusyError) and its claim, racing ours, loses on the resourceVersion. The mark covers the
 * whole rule, so two runs changing different subsets of one rule exclude each other as well.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError, TargetBusyError } from '../errors.js';
import type { DestinationRule } from '../istio/types.js';
import { type CustomObjects, DESTINATION_RULE, type JsonPatchOp, type KubeObject } from '../kube/custom-objects.js';
import type { PolicyState } from '../model/traffic-state.js';
import { dryRunStates, refuseHeld, userOwned } from './kube-owned.js';
import { ConcurrentChangeError, createPatchLoop, type PatchLoop, type PatchLoopOptions } from './kube-patch-loop.js';
import { OWNER_ANNOTATION, markOf } from './ownership.js';
import { valueAt } from './patch-conflict.js';
import { addAnnotationOps, removeAnnotationOps, resourceVersionOp, valuePatch } from './region-patch.js';
import { findPolicyRule, policyPointer, renderDestinationRule } from './render-policy.js';
import type { TrafficState } from './types.js';

/** Options of {@link createPolicyRegion}. */
export interface PolicyRegionOptions extends Omit<PatchLoopOptions, 'type' | 'name'> {
  /** The host a rule is found by when the policy does not name it (target.host). */
  host: string;
  /** Every state the run will apply (or, in recover, applied): the policy is the one they carry. */
  planned: readonly TrafficState[];
  /** The canary's name, for the step labels of preflight's messages. */
  canary: string;
}

/** What the provider does with the DestinationRule; every method is a no-op when the run has no policy. */
export interface PolicyRegion {
  /** Finds the rule and the subset, refuses a held rule, dry-runs every planned state's patch. */
  preflight(objects: CustomObjects): Promise<void>;
  /** The rule as the user wrote it (user-owned part), or undefined when the run has no policy. */
  snapshot(): Promise<DestinationRule | undefined>;
  /** Marks the rule as the run's; TargetBusyError when another run's mark is on it. */
  claim(mark: string): Promise<void>;
  /** Writes `state`'s policy (none: the original's) into the region. */
  apply(state: TrafficState): Promise<void>;
  /** Reads the rule back and checks the region holds `state`'s policy. */
  verify(state: TrafficState): Promise<void>;
  /** Removes the mark `mark`, nothing else; false when the rule does not carry it. */
  release(mark: string): Promise<boolean>;
  /** Puts the region of `original` back and removes the mark (idempotent). */
  restore(original: DestinationRule | undefined, mark: string | undefined): Promise<void>;
  /** Why the rule is not restored, or undefined. */
  checkRestored(original: DestinationRule | undefined, mark: string | undefined): Promise<string | undefined>;
}

const toRule = (obj: KubeObject) => userOwned<DestinationRule>(obj, DESTINATION_RULE);

/** The one policy of a run (every step carries the same; promotion none): throws when they differ. */
export function runPolicyOf(planned: readonly TrafficState[]): PolicyState | undefined {
  const policies = planned.flatMap((s) => (s.policy ? [s.policy] : []));
  const first = policies[0];
  if (policies.some((p) => p.destinationRule !== first?.destinationRule || p.subset !== first?.subset)) {
    throw new RuntimeError('internal: the planned states change different DestinationRules or subsets', { hint: 'one experiment sets one traffic.policy' });
  }
  return first;
}

/** Creates the DestinationRule region of a run in `options.namespace`. */
export function createPolicyRegion(options: PolicyRegionOptions): PolicyRegion {
  const { namespace } = options;
  const policy = runPolicyOf(options.planned);
  let original: DestinationRule | undefined;
  let loop: PatchLoop | undefined;
  let owner: string | undefined;
  let written: unknown;

  const loopFor = (name: string) => (loop ??= createPatchLoop({ ...options, type: DESTINATION_RULE, name }));
  /** The region's value on `rule` as `state` renders it (the original's value for a state without policy). */
  const valueOf = (rule: DestinationRule, p: PolicyState | undefined) => valueAt(renderDestinationRule(rule, p), policyPointer(rule, policy!));
  /** Where the region is in the live rule: the subset found by name, and a `test` that it is still there. */
  const locate = (live: KubeObject, where: string): { pointer: string; guards: JsonPatchOp[] } => {
    if (policy!.subset === undefined) return { pointer: '/spec/trafficPolicy', guards: [] };
    const subsets = toRule(live).spec.subsets ?? [];
    const at = subsets.flatMap((s, i) => (s.name === policy!.subset ? [i] : []));
    if (at.length !== 1) throw new ConcurrentChangeError(`${where}: subset "${policy!.subset}" was ${at.length ? 'duplicated' : 'removed'} by someone else during the run`, { hint: 'nothing was overwritten; the journal\'s "snapshot" line holds the original rule' });
    return { pointer: `/spec/subsets/${at[0]}/trafficPolicy`, guards: [{ op: 'test', path: `/spec/subsets/${at[0]}/name`, value: policy!.subset }] };
  };
  const findRule = async (objects: CustomObjects) => findPolicyRule((await objects.list(DESTINATION_RULE, namespace)).map(toRule), policy!, options.host, namespace);
  const changed = (where: string, expected: unknown, found: unknown) =>
    new ConcurrentChangeError(`${where}: the trafficPolicy mesh-exp manages${policy?.subset ? ` (subset ${policy.subset})` : ''} was changed by someone else during the run`, {
      hint: `expected ${JSON.stringify(expected ?? null)}; found ${JSON.stringify(found ?? null)}. Nothing was overwritten; the journal's "snapshot" line holds the original`,
    });

  return {
    async preflight(objects) {
      if (!policy) return;
      const listed = await objects.list(DESTINATION_RULE, namespace);
      const rule = findPolicyRule(listed.map(toRule), policy, options.host, namespace);
      const pointer = policyPointer(rule, policy);
      refuseHeld(rule);
      const rv = listed.find((o) => o.metadata.name === rule.metadata.name)?.metadata.resourceVersion ?? '';
      const guards = locate(rule as unknown as KubeObject, rule.metadata.name).guards;
      // One dry run per distinct policy: Istio's CEL rules judge exactly the patch a step sends.
      const states = options.planned.flatMap((s) => (s.policy ? [{ policy: s.policy }] : []));
      await dryRunStates({
        objects,
        type: DESTINATION_RULE,
        namespace,
        name: rule.metadata.name,
        states,
        opsFor: (s) => valuePatch(pointer, valueAt(rule, pointer), valueOf(rule, s.policy), rv, guards),
        judge: 'Istio',
        canary: options.canary,
      });
    },

    async snapshot() {
      if (!policy) return undefined;
      const rule = await findRule(await options.client());
      original = toRule(await loopFor(rule.metadata.name).read());
      refuseHeld(original);
      written = valueOf(original, undefined);
      return structuredClone(original);
    },

    async claim(mark) {
      if (!policy || !original || !loop) return;
      const base = original;
      await loop.patch(async (live, rv) => {
        const other = markOf(live);
        if (other !== undefined && other !== mark) throw new TargetBusyError(`${loop!.where()} was claimed by another run between this run's snapshot and its claim; nothing was changed`, { owner: other });
        if (other === mark) return undefined;
        const found = valueAt(live, locate(live, loop!.where()).pointer);
        if (!isDeepStrictEqual(found, valueOf(base, undefined))) throw changed(loop!.where(), valueOf(base, undefined), found);
        return [resourceVersionOp(rv), ...addAnnotationOps(live, OWNER_ANNOTATION, mark)];
      });
      owner = mark;
    },

    async apply(state) {
      if (!policy || !original || !loop) return;
      const next = valueOf(original, state.policy);
      const from = written;
      await loop.patch(async (live, rv) => {
        if (owner !== undefined && markOf(live) !== owner) {
          throw new ConcurrentChangeError(`${loop!.where()}: this run's ownership mark was removed or replaced by someone else`, { hint: `annotation ${OWNER_ANNOTATION} is now ${markOf(live) ?? 'absent'}; nothing was overwritten` });
        }
        const { pointer, guards } = locate(live, loop!.where());
        const found = valueAt(live, pointer);
        if (!isDeepStrictEqual(found, from)) throw changed(loop!.where(), from, found);
        return valuePatch(pointer, from, next, rv, guards);
      });
      written = next;
    },

    async verify(state) {
      if (!policy || !original || !loop) return;
      const live = await loop.read();
      const found = valueAt(live, locate(live, loop.where()).pointer);
      const expected = valueOf(original, state.policy);
      if (!isDeepStrictEqual(found, expected)) throw changed(loop.where(), expected, found);
    },

    async release(mark) {
      // Recover releases a promoted run's marks without a snapshot: the rule is found again from the journaled policy.
      const name = original?.metadata.name ?? (policy ? (await findRule(await options.client())).metadata.name : undefined);
      if (name === undefined) return false;
      let released = false;
      await loopFor(name).patch(async (live, rv) => {
        released = markOf(live) === mark;
        return released ? [resourceVersionOp(rv), ...removeAnnotationOps(live, OWNER_ANNOTATION)] : undefined;
      });
      return released;
    },

    async restore(snapshotRule, mark) {
      if (!snapshotRule) return;
      original ??= snapshotRule;
      const rules = loopFor(snapshotRule.metadata.name);
      const back = policy ? valueOf(snapshotRule, undefined) : undefined;
      // Where the region may be now: what this process last wrote, else any state the run planned.
      const candidates = policy ? [...(written !== undefined ? [written] : []), ...options.planned.map((s) => valueOf(snapshotRule, s.policy)), back] : [];
      await rules.patch(async (live, rv) => {
        const region = policy ? locate(live, rules.where()) : undefined;
        const found = region ? valueAt(live, region.pointer) : undefined;
        const liveMark = markOf(live);
        if (liveMark !== mark) {
          if (liveMark === undefined && isDeepStrictEqual(found, back)) return undefined;
          throw new RestoreError(`not overwriting ${rules.where()}: ${liveMark ? `it is marked by another run (${liveMark})` : 'it no longer carries this run\'s mark'}, so someone else changed it`, {
            hint: 'compare it with the "policyOriginal" of the journal\'s "snapshot" line and restore by hand if that is still wanted',
          });
        }
        if (!region) return removeAnnotationOps(live, OWNER_ANNOTATION);
        if (!candidates.some((c) => isDeepStrictEqual(c, found))) throw changed(rules.where(), back, found);
        return [...valuePatch(region.pointer, found, back, rv, region.guards), ...removeAnnotationOps(live, OWNER_ANNOTATION)];
      });
      written = back;
    },

    async checkRestored(snapshotRule, mark) {
      if (!snapshotRule) return undefined;
      const rules = loopFor(snapshotRule.metadata.name);
      const live = await rules.read();
      if (policy) {
        const found = valueAt(live, locate(live, rules.where()).pointer);
        if (!isDeepStrictEqual(found, valueOf(snapshotRule, undefined))) return `${rules.where()}: the trafficPolicy is not back as it was: found ${JSON.stringify(found ?? null)}`;
      }
      if (markOf(live) !== undefined && markOf(live) === mark) return `${rules.where()}: the ownership mark ${OWNER_ANNOTATION} is still on it`;
      return undefined;
    },
  };
}
