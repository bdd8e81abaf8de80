/**
 * The traffic-provider extension point (like Flagger's pkg/router): one interface, a registry keyed
 * by name (`registry.ts`), one folder per implementation (`local/`, `istio/`, `gateway-api/`).
 */
import type { Destination, VirtualService } from '../istio/types.js';
import type { TrafficState } from '../model/traffic-state.js';
import type { HTTPRouteObject } from './gateway-api/types.js';

/** The object a provider routes with: a VirtualService (local, local-attach, istio) or an HTTPRoute (gateway-api). */
export type RoutingObject = VirtualService | HTTPRouteObject;

export type { FaultState, MirrorState, TrafficState } from '../model/traffic-state.js';

/**
 * What the provider saved before the first change: enough to put the object back exactly. `O` is
 * the routing object: a VirtualService (providers local, istio) or an HTTPRoute (gateway-api).
 */
export interface TrafficSnapshot<O = RoutingObject> {
  /** Provider that took it. */
  provider: string;
  /** Where the provider reaches the target (e.g. the attached mesh's admin URL). @default absent (in-process) */
  endpoint?: string;
  /** The routing object exactly as it was (deep copy). */
  original: O;
  /** When it was taken (epoch ms). */
  takenAt: number;
  /**
   * The ownership mark the run wrote (its journal's path), for providers that mark the object:
   * restore overwrites only an object that carries this mark (or equals the original).
   * @default the mark given to `claim`, if any
   */
  owner?: string;
}

/**
 * What every traffic provider does. All methods may throw MeshExpError subclasses with hints. `O`
 * is the routing object it acts on. @default RoutingObject
 */
export interface TrafficProvider<O = RoutingObject> {
  /** Registry name, e.g. "local". */
  readonly name: string;
  /** Checks the target exists and is actionable (route found unambiguously, subsets defined). */
  preflight(): Promise<void>;
  /** The routing object as it is now. */
  current(): Promise<O>;
  /** Saves the original state; call before the first `apply`. */
  snapshot(): Promise<TrafficSnapshot<O>>;
  /** Makes the managed parts equal `state` (relative to the snapshot); returns the object applied. */
  apply(state: TrafficState): Promise<O>;
  /** Confirms the data plane serves `state` (e.g. the local mesh reloaded it). */
  verify(state: TrafficState): Promise<void>;
  /**
   * Marks the live object as owned by the run whose journal is `owner` (the first change of a run,
   * routes untouched), so another run refuses to start on it; throws TargetBusyError when another
   * run got there first. Providers of objects no other process can reach (the in-process mesh) omit it.
   */
  claim?(owner: string): Promise<void>;
  /**
   * Removes the ownership mark `owner` from the live object and changes nothing else (the end of a
   * promoted run, or a stale mark); resolves false when the object does not carry that mark.
   * @default absent (the provider writes no mark)
   */
  release?(owner: string): Promise<boolean>;
  /** Puts the object back exactly as in `snapshot` (without the mark); idempotent. */
  restore(snapshot: TrafficSnapshot<O>): Promise<void>;
  /**
   * Says why the live object is not restored to `snapshot`, or resolves undefined when it is. For
   * providers that restore only the managed parts (others may have edited the rest meanwhile).
   * @default absent: restore is verified by deep equality of `current()` with the original
   */
  checkRestored?(snapshot: TrafficSnapshot<O>): Promise<string | undefined>;
  /** Releases connections/watches. */
  close(): Promise<void>;
}

/** Helper type for destinations the provider resolves. */
export type { Destination };
