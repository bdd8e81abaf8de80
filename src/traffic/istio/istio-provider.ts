/**
 * The `istio` traffic provider: acts on a VirtualService through the Kubernetes API.
 *
 * The user owns the object. mesh-exp changes only the managed region of `spec.http` (the target
 * route and the routes it inserts before it, route-patch.ts) and its ownership annotation, with JSON
 * patches that `test` the region first. Edits anyone else makes elsewhere in the object survive
 * every step and the restore; an edit of the managed region itself is detected and reported, never
 * overwritten. A refused patch (409, failed test) is read again and re-applied when the region is
 * still ours. Every request backs off while the API server is unreachable (retry.ts), so a restore
 * survives a control-plane restart.
 */
import { RestoreError, RuntimeError, TargetBusyError } from '../../errors.js';
import type { Failpoint } from '../../failpoints.js';
import { type CustomObjects, VIRTUAL_SERVICE } from '../../kube/custom-objects.js';
import { type KubeRetryOptions, withKubeRetry } from '../../kube/retry.js';
import { KubeApiError } from '../../kube/kube-error.js';
import type { HTTPRoute, VirtualService } from '../../istio/types.js';
import { OWNER_ANNOTATION, markOf } from '../ownership.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficProvider, TrafficSnapshot, TrafficState } from '../types.js';
import { istioPreflight, readTarget, refuseMarked } from './istio-preflight.js';
import { isPatchConflict, toVirtualService } from './live-object.js';
import { type Region, addAnnotationOps, locateRegion, regionOf, regionPatch, removeAnnotationOps, resourceVersionOp } from './route-patch.js';

/** Options for {@link createIstioProvider}. */
export interface IstioProviderOptions {
  /** The Kubernetes client (or a factory, so nothing connects before the provider is used). */
  objects: CustomObjects | (() => Promise<CustomObjects>);
  /** The experiment's target. */
  target: TargetRef & { virtualService: string; namespace?: string };
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

/** The managed routes of the VirtualService were changed by someone else during the run. */
export class ConcurrentChangeError extends RuntimeError {}

/** Creates the istio provider. */
export function createIstioProvider(options: IstioProviderOptions): TrafficProvider {
  const namespace = options.target.namespace ?? 'default';
  const target = { ...options.target, namespace };
  const name = target.virtualService;
  const planned = options.plannedStates ?? [];
  const now = options.now ?? Date.now;
  const attempts = options.conflictAttempts ?? 5;
  let objectsPromise: Promise<CustomObjects> | undefined;
  const client = () => (objectsPromise ??= typeof options.objects === 'function' ? options.objects() : Promise.resolve(options.objects));
  const retry = <T>(fn: () => Promise<T>) => withKubeRetry(fn, options.retry);
  let snap: TrafficSnapshot | undefined;
  let owner: string | undefined;
  // The region this provider last wrote (the original's before the first apply).
  let written: Region | undefined;
  let where = `VirtualService ${namespace}/${name}`;

  const readLive = async () => {
    const objects = await client();
    where = `VirtualService ${namespace}/${name} at ${objects.server}`;
    const obj = await retry(() => objects.get(VIRTUAL_SERVICE, namespace, name));
    if (!obj) throw new RuntimeError(`${where} was deleted during the run`, { hint: 'the journal\'s "snapshot" line holds the original; re-create it from there' });
    return obj;
  };
  const readVs = async () => toVirtualService(await readLive());

  /** Reads, builds ops from what it read, patches; a refusal because the object moved on is read again. */
  const patchLoop = async (build: (live: VirtualService, resourceVersion: string) => Promise<Parameters<CustomObjects['patch']>[3] | undefined>) => {
    const objects = await client();
    for (let attempt = 1; ; attempt++) {
      const obj = await readLive();
      const live = toVirtualService(obj);
      const ops = await build(live, obj.metadata.resourceVersion ?? '');
      if (!ops?.length) return live;
      await options.beforePatch?.(attempt);
      try {
        const out = await retry(() => objects.patch(VIRTUAL_SERVICE, namespace, name, ops));
        return toVirtualService(out);
      } catch (err) {
        if (attempt >= attempts) throw err;
        if (isPatchConflict(err)) continue;
        // A bare 422 may be a failed `test`: decide on the object as it is now.
        const reread = err instanceof KubeApiError && err.status === 422 ? await readLive() : undefined;
        if (!isPatchConflict(err, reread, ops)) throw err;
      }
    }
  };

  const located = (live: VirtualService, region: Region): number | undefined => {
    const at = locateRegion(live.spec.http ?? [], region.routes);
    return at.length === 1 ? at[0] : undefined;
  };
  const changedBySomeoneElse = (live: VirtualService, region: Region) =>
    new ConcurrentChangeError(`${where}: the routes mesh-exp manages were changed by someone else during the run`, {
      hint: `expected ${describeRegion(region.routes)} in spec.http; found ${describeRegion(live.spec.http ?? [])}. Nothing was overwritten; the journal's "snapshot" line holds the original`,
    });

  return {
    name: 'istio',

    current: () => readVs(),

    async preflight() {
      await istioPreflight({ objects: await client(), target, plannedStates: planned });
    },

    async snapshot() {
      const objects = await client();
      const original = await retry(() => readTarget(objects, namespace, name));
      refuseMarked(original);
      written = regionOf(original, target, {});
      snap = { provider: 'istio', endpoint: objects.server, original, takenAt: now() };
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
      const next = regionOf(snap.original, target, state);
      const from = written;
      const out = await patchLoop(async (live) => {
        if (owner !== undefined && markOf(live) !== owner) {
          throw new ConcurrentChangeError(`${where}: this run's ownership mark was removed or replaced by someone else`, { hint: `annotation ${OWNER_ANNOTATION} is now ${markOf(live) ?? 'absent'}; nothing was overwritten` });
        }
        const at = located(live, from);
        if (at === undefined) throw changedBySomeoneElse(live, from);
        return regionPatch(at, from.routes, next.routes);
      });
      written = next;
      return out;
    },

    async verify(state) {
      if (!snap) throw new RuntimeError('internal: verify before snapshot');
      const live = await readVs();
      const region = regionOf(snap.original, target, state);
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
      const originalRegion = regionOf(snapshot.original, target, {});
      // Where the region may be now: what this process last wrote, else any state the run planned.
      const candidates = [...(written ? [written] : []), ...planned.map((s) => regionOf(snapshot.original, target, s)), originalRegion];
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
          if (at !== undefined) return [...regionPatch(at, region.routes, originalRegion.routes), ...removeAnnotationOps(live, OWNER_ANNOTATION)];
        }
        throw new RestoreError(`not overwriting ${where}: the routes mesh-exp manages were changed by someone else during the run`, {
          hint: `found ${describeRegion(live.spec.http ?? [])}; the journal's "snapshot" line holds the original: compare and restore by hand`,
        });
      });
      written = originalRegion;
      await options.failpoint?.('mid-restore');
    },

    async checkRestored(snapshot) {
      const live = await readVs();
      const region = regionOf(snapshot.original, target, {});
      if (located(live, region) === undefined) return `the target route is not back as it was: found ${describeRegion(live.spec.http ?? [])}`;
      if (markOf(live) !== undefined && markOf(live) === (snapshot.owner ?? owner)) return `the ownership mark ${OWNER_ANNOTATION} is still on it`;
      return undefined;
    },

    close: async () => {},
  };
}

/** Route names (or positions) and destinations, for messages. */
function describeRegion(routes: readonly HTTPRoute[]): string {
  return routes.map((r, i) => `${r.name ? `"${r.name}"` : `#${i}`} → ${(r.route ?? []).map((d) => `${d.destination.subset ?? d.destination.host}:${d.weight ?? '-'}`).join(',')}`).join('; ') || '(no routes)';
}
