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
import { KubeApiError } from '../kube/kube-error.js';
import { type KubeRetryOptions, withKubeRetry } from '../kube/retry.js';
import { type OwnedObject, readOwned, refuseHeld, userOwned } from './kube-owned.js';
import { OWNER_ANNOTATION, markOf } from './ownership.js';
import { isPatchConflict } from './patch-conflict.js';
import { type ItemRegion, addAnnotationOps, locateRegion, regionPatch, removeAnnotationOps, resourceVersionOp } from './region-patch.js';
import type { TrafficProvider, TrafficSnapshot, TrafficState } from './types.js';


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

/** The managed routes of the object were changed by someone else during the run. */
export class ConcurrentChangeError extends RuntimeError {}

/** Creates a provider for `model` on the object `namespace/name`. */
export function createKubeRegionProvider<O extends OwnedObject, R>(model: RegionModel<O, R>, namespace: string, objectName: string, options: KubeProviderOptions): TrafficProvider<O> {
  const planned = options.plannedStates ?? [];
  const now = options.now ?? Date.now;
  const attempts = options.conflictAttempts ?? 5;
  let objectsPromise: Promise<CustomObjects> | undefined;
  const client = () => (objectsPromise ??= typeof options.objects === 'function' ? options.objects() : Promise.resolve(options.objects));
  const retry = <T>(fn: () => Promise<T>) => withKubeRetry(fn, options.retry);
  const toObject = (obj: Parameters<typeof userOwned>[0]) => userOwned<O>(obj, model.type);
  let snap: TrafficSnapshot<O> | undefined;
  let owner: string | undefined;
  // The region this provider last wrote (the original's before the first apply).
  let written: ItemRegion<R> | undefined;
  let where = `${model.type.kind} ${namespace}/${objectName}`;

  const readLive = async () => {
    const objects = await client();
    where = `${model.type.kind} ${namespace}/${objectName} at ${objects.server}`;
    const obj = await retry(() => objects.get(model.type, namespace, objectName));
    if (!obj) throw new RuntimeError(`${where} was deleted during the run`, { hint: 'the journal\'s "snapshot" line holds the original; re-create it from there' });
    return obj;
  };

  /** Reads, builds ops from what it read, patches; a refusal because the object moved on is read again. */
  const patchLoop = async (build: (live: O, resourceVersion: string) => Promise<JsonPatchOp[] | undefined>) => {
    const objects = await client();
    for (let attempt = 1; ; attempt++) {
      const obj = await readLive();
      const live = toObject(obj);
      const ops = await build(live, obj.metadata.resourceVersion ?? '');
      if (!ops?.length) return live;
      await options.beforePatch?.(attempt);
      try {
        return toObject(await retry(() => objects.patch(model.type, namespace, objectName, ops)));
      } catch (err) {
        if (attempt >= attempts) throw err;
        if (isPatchConflict(err)) continue;
        // A bare 422 may be a failed `test`: decide on the object as it is now.
        const reread = err instanceof KubeApiError && err.status === 422 ? await readLive() : undefined;
        if (!isPatchConflict(err, reread, ops)) throw err;
      }
    }
  };

  const located = (live: O, region: ItemRegion<R>): number | undefined => {
    const at = locateRegion(model.itemsOf(live), region.items);
    return at.length === 1 ? at[0] : undefined;
  };
  const found = (live: O) => model.describe(model.itemsOf(live));
  const changedBySomeoneElse = (live: O, region: ItemRegion<R>) =>
    new ConcurrentChangeError(`${where}: the routes mesh-exp manages were changed by someone else during the run`, {
      hint: `expected ${model.describe(region.items)} in ${model.base.slice(1).replace('/', '.')}; found ${found(live)}. Nothing was overwritten; the journal's "snapshot" line holds the original`,
    });
  const patchRegion = (at: number, from: ItemRegion<R>, to: ItemRegion<R>) => regionPatch(at, from.items, to.items, model.base);

  return {
    name: options.name,

    current: async () => toObject(await readLive()),

    async preflight() {
      await model.preflight(await client(), planned);
    },

    async snapshot() {
      const objects = await client();
      const original = await retry(() => readOwned<O>(objects, model.type, namespace, objectName, model.field));
      refuseHeld(original);
      written = model.regionOf(original, {});
      snap = { provider: options.name, endpoint: objects.server, original, takenAt: now() };
      return structuredClone(snap);
    },

    async claim(mark) {
      if (!snap || !written) throw new RuntimeError('internal: claim before snapshot');
      const region = written;
      await patchLoop(async (live, rv) => {
        const other = markOf(live);
        if (other !== undefined && other !== mark) throw new TargetBusyError(`${where} was claimed by another run between this run's snapshot and its claim; nothing was changed`, { owner: other });
        if (other === mark) return undefined;
        if (located(live, region) === undefined) throw changedBySomeoneElse(live, region);
        return [resourceVersionOp(rv), ...addAnnotationOps(live, OWNER_ANNOTATION, mark)];
      });
      owner = mark;
    },

    async apply(state) {
      if (!snap || !written) throw new RuntimeError('internal: apply before snapshot');
      const next = model.regionOf(snap.original, state);
      const from = written;
      const out = await patchLoop(async (live) => {
        if (owner !== undefined && markOf(live) !== owner) {
          throw new ConcurrentChangeError(`${where}: this run's ownership mark was removed or replaced by someone else`, { hint: `annotation ${OWNER_ANNOTATION} is now ${markOf(live) ?? 'absent'}; nothing was overwritten` });
        }
        const at = located(live, from);
        if (at === undefined) throw changedBySomeoneElse(live, from);
        return patchRegion(at, from, next);
      });
      written = next;
      return out;
    },

    async verify(state) {
      if (!snap) throw new RuntimeError('internal: verify before snapshot');
      const live = toObject(await readLive());
      const region = model.regionOf(snap.original, state);
      if (located(live, region) === undefined) throw changedBySomeoneElse(live, region);
    },

    async release(mark) {
      let released = false;
      await patchLoop(async (live, rv) => {
        released = markOf(live) === mark;
        return released ? [resourceVersionOp(rv), ...removeAnnotationOps(live, OWNER_ANNOTATION)] : undefined;
      });
      return released;
    },

    async restore(snapshot) {
      const mark = snapshot.owner ?? owner;
      const originalRegion = model.regionOf(snapshot.original, {});
      // Where the region may be now: what this process last wrote, else any state the run planned.
      const candidates = [...(written ? [written] : []), ...planned.map((s) => model.regionOf(snapshot.original, s)), originalRegion];
      await patchLoop(async (live) => {
        const liveMark = markOf(live);
        if (liveMark !== mark) {
          if (liveMark === undefined && located(live, originalRegion) !== undefined) return undefined;
          throw new RestoreError(`not overwriting ${where}: ${liveMark ? `it is marked by another run (${liveMark})` : 'it no longer carries this run\'s mark'}, so someone else changed it`, {
            hint: 'compare it with the "snapshot" line of the journal and restore by hand if that is still wanted',
          });
        }
        for (const region of candidates) {
          const at = located(live, region);
          if (at !== undefined) return [...patchRegion(at, region, originalRegion), ...removeAnnotationOps(live, OWNER_ANNOTATION)];
        }
        throw new RestoreError(`not overwriting ${where}: the routes mesh-exp manages were changed by someone else during the run`, {
          hint: `found ${found(live)}; the journal's "snapshot" line holds the original: compare and restore by hand`,
        });
      });
      written = originalRegion;
      await options.failpoint?.('mid-restore');
    },

    async checkRestored(snapshot) {
      const live = toObject(await readLive());
      if (located(live, model.regionOf(snapshot.original, {})) === undefined) return `the target route is not back as it was: found ${found(live)}`;
      if (markOf(live) !== undefined && markOf(live) === (snapshot.owner ?? owner)) return `the ownership mark ${OWNER_ANNOTATION} is still on it`;
      return undefined;
    },

    close: async () => {},
  };
}
