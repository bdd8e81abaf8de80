/**
 * The core both Kubernetes traffic providers share (`istio` on a VirtualService's `spec.http`,
 * `gateway-api` on an HTTPRoute's `spec.rules`); each supplies a {@link RegionModel}.
 *
 * The user owns the object. mesh-exp changes only the managed region of the list (the target
 * route/rule and what it inserts before it) and its ownership annotation, with JSON patches that
 * `test` the region first. Edits anyone else makes elsewhere in the object survive every step and
 * the restore; an edit of the managed region itself is detected and reported, never overwritten.
 * A refused patch (409, failed test) is read again and re-applied when the region is still ours.
 * Every request backs off while the API server is unreachable (retry.ts), so a restore survives a
 * control-plane restart.
 */
import { RestoreError, RuntimeError, TargetBusyError } from '../errors.js';
import type { Failpoint } from '../failpoints.js';
import type { CustomObjects, JsonPatchOp, ResourceType } from '../kube/custom-objects.js';
import { type KubeRetryOptions, withKubeRetry } from '../kube/retry.js';
import { type OwnedObject, readOwned, refuseHeld, userOwned } from './kube-owned.js';
import { ConcurrentChangeError, createPatchLoop } from './kube-patch-loop.js';
import { createPolicyRegion } from './kube-policy-region.js';
import { OWNER_ANNOTATION, markOf } from './ownership.js';
import { type ItemRegion, addAnnotationOps, locateRegion, regionPatch, removeAnnotationOps, resourceVersionOp } from './region-patch.js';
import type { TrafficProvider, TrafficSnapshot, TrafficState } from './types.js';

export { ConcurrentChangeError } from './kube-patch-loop.js';

/** What a provider tells the core about its kind of object. */
export interface RegionModel<O extends OwnedObject, R> {
  /** The API resource (its kind names the object in messages). */
  type: ResourceType;
  /** The experiment field naming the object, for hints ("target.virtualService"). */
  field: string;
  /** JSON pointer of the managed list ("/spec/http", "/spec/rules"). */
  base: string;
  /** The managed list of an object. */
  itemsOf(o: O): readonly R[];
  /** The region `state` renders to on `original`. */
  regionOf(original: O, state: TrafficState): ItemRegion<R>;
  /** Items in words, for messages. */
  describe(items: readonly R[]): string;
  /** Every check before the first change (the object read, not held, every planned patch dry-run). */
  preflight(objects: CustomObjects, planned: readonly TrafficState[]): Promise<void>;
  /** The host a `traffic.policy` finds its DestinationRule by when it does not name one (target.host). */
  policyHost: string;
  /** The canary's name, for step labels in messages. */
  canary: string;
}

/** Options every Kubernetes provider takes. */
export interface KubeProviderOptions {
  /** The name it is registered under (registry.ts): it answers to it and journals it in its snapshot, where recover looks it up. */
  name: string;
  /** The Kubernetes client (or a factory, so nothing connects before the provider is used). */
  objects: CustomObjects | (() => Promise<CustomObjects>);
  /** Every state the run will apply (preflight dry-runs each; recover finds the region among them). @default [] */
  plannedStates?: TrafficState[];
  /** Backoff while the API server is away. @default withKubeRetry's defaults (60 s budget) */
  retry?: KubeRetryOptions;
  /** Tries when a patch is refused because the object moved on. @default 5 */
  conflictAttempts?: number;
  /** Crash points (`mid-restore`). @default none */
  failpoint?: Failpoint;
  /** Epoch-ms clock for the snapshot time. @default Date.now */
  now?: () => number;
  /** Test seam: runs after each read and before the patch built from it (to race a concurrent writer). @default none */
  beforePatch?: (attempt: number) => Promise<void>;
}

/** Creates a provider for `model` on the object `namespace/name`. */
export function createKubeRegionProvider<O extends OwnedObject, R>(model: RegionModel<O, R>, namespace: string, objectName: string, options: KubeProviderOptions): TrafficProvider<O> {
  const planned = options.plannedStates ?? [];
  const now = options.now ?? Date.now;
  let objectsPromise: Promise<CustomObjects> | undefined;
  const client = () => (objectsPromise ??= typeof options.objects === 'function' ? options.objects() : Promise.resolve(options.objects));
  const loopOptions = {
    namespace,
    client,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.conflictAttempts !== undefined ? { attempts: options.conflictAttempts } : {}),
    ...(options.beforePatch ? { beforePatch: options.beforePatch } : {}),
  };
  const loop = createPatchLoop({ ...loopOptions, type: model.type, name: objectName });
  // The DestinationRule of traffic.policy: a second object with a region of its own (no-op without a policy).
  const policy = createPolicyRegion({ ...loopOptions, host: model.policyHost, planned, canary: model.canary });
  const retry = <T>(fn: () => Promise<T>) => withKubeRetry(fn, options.retry);
  const toObject = (obj: Parameters<typeof userOwned>[0]) => userOwned<O>(obj, model.type);
  let snap: TrafficSnapshot<O> | undefined;
  let owner: string | undefined;
  // The region this provider last wrote (the original's before the first apply).
  let written: ItemRegion<R> | undefined;
  const where = () => loop.where();
  const readLive = loop.read;
  const patchLoop = async (build: (live: O, resourceVersion: string) => Promise<JsonPatchOp[] | undefined>) =>
    toObject(await loop.patch((obj, rv) => build(toObject(obj), rv)));

  const located = (live: O, region: ItemRegion<R>): number | undefined => {
    const at = locateRegion(model.itemsOf(live), region.items);
    return at.length === 1 ? at[0] : undefined;
  };
  const found = (live: O) => model.describe(model.itemsOf(live));
  const changedBySomeoneElse = (live: O, region: ItemRegion<R>) =>
    new ConcurrentChangeError(`${where()}: the routes mesh-exp manages were changed by someone else during the run`, {
      hint: `expected ${model.describe(region.items)} in ${model.base.slice(1).replace('/', '.')}; found ${found(live)}. Nothing was overwritten; the journal's "snapshot" line holds the original`,
    });
  const patchRegion = (at: number, from: ItemRegion<R>, to: ItemRegion<R>) => regionPatch(at, from.items, to.items, model.base);

  /** Removes the mark from the routing object and the DestinationRule; true when either carried it. */
  const release = async (mark: string) => {
    const policyReleased = await policy.release(mark);
    let released = false;
    await patchLoop(async (live, rv) => {
      released = markOf(live) === mark;
      return released ? [resourceVersionOp(rv), ...removeAnnotationOps(live, OWNER_ANNOTATION)] : undefined;
    });
    return released || policyReleased;
  };

  return {
    name: options.name,

    current: async () => toObject(await readLive()),

    async preflight() {
      const objects = await client();
      await model.preflight(objects, planned);
      await policy.preflight(objects);
    },

    async snapshot() {
      const objects = await client();
      const original = await retry(() => readOwned<O>(objects, model.type, namespace, objectName, model.field));
      refuseHeld(original);
      written = model.regionOf(original, {});
      const policyOriginal = await policy.snapshot();
      snap = { provider: options.name, endpoint: objects.server, original, takenAt: now(), ...(policyOriginal ? { policyOriginal } : {}) };
      return structuredClone(snap);
    },

    async claim(mark) {
      if (!snap || !written) throw new RuntimeError('internal: claim before snapshot');
      const region = written;
      await patchLoop(async (live, rv) => {
        const other = markOf(live);
        if (other !== undefined && other !== mark) throw new TargetBusyError(`${where()} was claimed by another run between this run's snapshot and its claim; nothing was changed`, { owner: other });
        if (other === mark) return undefined;
        if (located(live, region) === undefined) throw changedBySomeoneElse(live, region);
        return [resourceVersionOp(rv), ...addAnnotationOps(live, OWNER_ANNOTATION, mark)];
      });
      owner = mark;
      try {
        await policy.claim(mark);
      } catch (err) {
        // Refused (or failed) on the DestinationRule: the routing object must not keep the mark.
        await release(mark).catch(() => false);
        throw err;
      }
    },

    async apply(state) {
      if (!snap || !written) throw new RuntimeError('internal: apply before snapshot');
      const next = model.regionOf(snap.original, state);
      const from = written;
      const out = await patchLoop(async (live) => {
        if (owner !== undefined && markOf(live) !== owner) {
          throw new ConcurrentChangeError(`${where()}: this run's ownership mark was removed or replaced by someone else`, { hint: `annotation ${OWNER_ANNOTATION} is now ${markOf(live) ?? 'absent'}; nothing was overwritten` });
        }
        const at = located(live, from);
        if (at === undefined) throw changedBySomeoneElse(live, from);
        return patchRegion(at, from, next);
      });
      written = next;
      await policy.apply(state);
      return out;
    },

    async verify(state) {
      if (!snap) throw new RuntimeError('internal: verify before snapshot');
      const live = toObject(await readLive());
      const region = model.regionOf(snap.original, state);
      if (located(live, region) === undefined) throw changedBySomeoneElse(live, region);
      await policy.verify(state);
    },

    release,

    async restore(snapshot) {
      const mark = snapshot.owner ?? owner;
      const originalRegion = model.regionOf(snapshot.original, {});
      // Where the region may be now: what this process last wrote, else any state the run planned.
      const candidates = [...(written ? [written] : []), ...planned.map((s) => model.regionOf(snapshot.original, s)), originalRegion];
      const routes = patchLoop(async (live) => {
        const liveMark = markOf(live);
        if (liveMark !== mark) {
          if (liveMark === undefined && located(live, originalRegion) !== undefined) return undefined;
          throw new RestoreError(`not overwriting ${where()}: ${liveMark ? `it is marked by another run (${liveMark})` : 'it no longer carries this run\'s mark'}, so someone else changed it`, {
            hint: 'compare it with the "snapshot" line of the journal and restore by hand if that is still wanted',
          });
        }
        for (const region of candidates) {
          const at = located(live, region);
          if (at !== undefined) return [...patchRegion(at, region, originalRegion), ...removeAnnotationOps(live, OWNER_ANNOTATION)];
        }
        throw new RestoreError(`not overwriting ${where()}: the routes mesh-exp manages were changed by someone else during the run`, {
          hint: `found ${found(live)}; the journal's "snapshot" line holds the original: compare and restore by hand`,
        });
      });
      // A routing object someone else changed must not keep the DestinationRule changed too: the rule is restored all the same.
      const failed = await routes.then(() => undefined, (err: unknown) => ({ err }));
      if (!failed) {
        written = originalRegion;
        await options.failpoint?.('mid-restore');
      }
      await policy.restore(snapshot.policyOriginal, mark).catch((err: unknown) => {
        if (!failed) throw err;
      });
      if (failed) throw failed.err;
    },

    async checkRestored(snapshot) {
      const live = toObject(await readLive());
      if (located(live, model.regionOf(snapshot.original, {})) === undefined) return `the target route is not back as it was: found ${found(live)}`;
      if (markOf(live) !== undefined && markOf(live) === (snapshot.owner ?? owner)) return `the ownership mark ${OWNER_ANNOTATION} is still on it`;
      return policy.checkRestored(snapshot.policyOriginal, snapshot.owner ?? owner);
    },

    close: async () => {},
  };
}
