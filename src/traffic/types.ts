/**
 * The traffic-provider extension point (like Flagger's pkg/router): one interface, a registry keyed
 * by name (`registry.ts`), one folder per implementation (`local/`, `istio/`, `gateway-api/`).
 */
import type { Logger } from '../context.js';
import type { ManifestSet } from '../istio/manifests.js';
import type { DestinationRule, Destination, VirtualService } from '../istio/types.js';
import type { JsonPatchOp } from '../kube/custom-objects.js';
import type { KubeRetryOptions } from '../kube/retry.js';
import type { TrafficState } from '../model/traffic-state.js';
import type { HTTPRouteObject } from './gateway-api/types.js';
import type { TargetFields } from './target-object.js';

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
  /**
   * The DestinationRule `traffic.policy` changes, exactly as it was (deep copy); restore puts its
   * managed trafficPolicy back. @default absent (the run changes no DestinationRule)
   */
  policyOriginal?: DestinationRule;
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

/** How a Kubernetes provider finds its cluster. */
export interface KubeDeps {
  /** `--kubeconfig`. @default $KUBECONFIG, ~/.kube/config, in-cluster */
  kubeconfig?: string;
  /** `--context`. @default the kubeconfig's current context */
  context?: string;
  /** Environment (KUBECONFIG, HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths resolve against. */
  cwd: string;
  /** The API server the run journaled (recover): a kubeconfig pointing elsewhere is refused. @default not checked */
  expectedServer?: string;
  /** Backoff while the API server is away. @default 60 s budget */
  retry?: KubeRetryOptions;
}

/** What `plan` is asked: the experiment's target and the states a run would apply, in order. */
export interface PlanRequest {
  /** The provider the experiment names (spec.target.provider), for messages. */
  provider: string;
  /** The experiment's target (spec.target). */
  target: TargetFields;
  /** Each step's state, in order. */
  states: readonly TrafficState[];
  /** The promotion's state, when the run promotes. @default absent (no promotion) */
  promotion?: TrafficState;
}

/**
 * Where `plan` may read the object from, read only. Every field is there; each provider uses the
 * one it reaches its target through, so the caller never needs to know which.
 */
export interface PlanSources {
  /** The objects of spec.local.manifests, read on the first call; undefined when the experiment lists none. */
  manifests(): Promise<ManifestSet | undefined>;
  /** The admin URL of a running mesh (spec.local.attach), or undefined. */
  endpoint: string | undefined;
  /** How to reach a cluster (`--kubeconfig`, `--context`); nothing connects unless a provider needs it. */
  kube: KubeDeps;
  /** Where a provider says what it reads ("plan: reading ... from ..."). */
  logger: Logger;
}

/** One change a run would make: the object as it would leave it and, for the Kubernetes kinds, the exact patch. */
export interface PlannedChange<O = RoutingObject> {
  /** The DestinationRule as the change would leave it (`traffic.policy`; local providers). @default absent (no policy planned) */
  destinationRule?: DestinationRule;

  /** The object as the change would leave it. */
  object: O;
  /** The exact JSON patch sent (Kubernetes providers). @default absent (the provider writes whole objects) */
  patch?: JsonPatchOp[];
  /** The exact JSON patch sent to the DestinationRule of `traffic.policy` (Kubernetes providers). @default absent (no policy) */
  policyPatch?: JsonPatchOp[];
}

/** What a run would change, step by step, computed without changing anything. */
export interface TrafficPlan<O = RoutingObject> {
  /** The object as it is now. */
  current: O;
  /** The DestinationRule `traffic.policy` changes, as it is now (each step's is its `destinationRule`; local providers). @default absent (no policy planned) */
  destinationRule?: DestinationRule;

  /** The target route or rule, as printed: '"reviews-main"' (named) or "#0" (by position). */
  routeLabel: string;
  /** One change per requested state, in order. */
  steps: PlannedChange<O>[];
  /** The promotion, when requested. @default absent */
  promotion?: PlannedChange<O>;
  /** The exact JSON patch of a restore after the last step (Kubernetes providers). @default absent */
  restorePatch?: JsonPatchOp[];
  /** The DestinationRule `traffic.policy` changes ("DestinationRule ns/name") and the patch restoring it (Kubernetes providers). @default absent */
  policy?: { rule: string; restorePatch: JsonPatchOp[] };
}

/**
 * The operation every registered provider offers besides running (see registry.ts): what each
 * step would change, for `mesh-exp plan`. Reads only; throws MeshExpError subclasses with hints.
 */
export type PlanTraffic = (request: PlanRequest, sources: PlanSources) => Promise<TrafficPlan>;

/** Helper type for destinations the provider resolves. */
export type { Destination };
