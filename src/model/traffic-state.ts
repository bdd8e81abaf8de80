/**
 * The traffic change of one step, as every layer speaks of it: the runner plans it, providers
 * apply it, reports and labels describe it.
 */
import type { HTTPMatchRequest, HTTPRetry } from '../istio/types.js';

/** A fault the experiment injects (durations in ms, percentages 0–100 as Istio writes them). */
export interface FaultState {
  /** Delay added before forwarding, ms. */
  delayMs?: number;
  /** Share of requests delayed, 0–100. */
  delayPercent?: number;
  /** Status returned instead of forwarding. */
  abortStatus?: number;
  /** Share of requests aborted, 0–100. */
  abortPercent?: number;
  /** Only faulted requests to this subset (inserted route sends to it); default: the route's destinations. */
  subset?: string;
  /** Only requests matching this get the fault (a route is inserted before the target route). */
  match?: HTTPMatchRequest[];
}

/** A mirror the experiment adds to the target route. */
export interface MirrorState {
  /** Subset of the target host receiving copies. */
  subset: string;
  /** Share of requests mirrored, 0–100. */
  percentage: number;
}

/**
 * The DestinationRule traffic-policy settings an experiment sets, as Istio writes them (e.g.
 * `connectionPool: { tcp: { maxConnections: 1 } }`). Each given setting replaces that field of the
 * rule's (or the subset's) `trafficPolicy` whole, as Istio merges settings objects; the rest of the
 * rule is the user's and stays as written.
 */
export interface PolicyState {
  /** Name of the DestinationRule (in the target's namespace). Absent: the one whose `host` is the target host. */
  destinationRule?: string;
  /** Change this subset's `trafficPolicy`. Absent: the rule's top-level `trafficPolicy`. */
  subset?: string;
  /** Istio `ConnectionPoolSettings` (circuit breaking). */
  connectionPool?: Record<string, unknown>;
  /** Istio `OutlierDetection`. */
  outlierDetection?: Record<string, unknown>;
  /** Istio `LoadBalancerSettings`. */
  loadBalancer?: Record<string, unknown>;
}

/**
 * The desired state of the parts of the VirtualService (and DestinationRule) the experiment manages, at one step.
 * Anything absent is left exactly as the user wrote it.
 */
export interface TrafficState {
  /** Canary weight 0–100 on the target route (stable gets 100 − w). Absent: weights untouched. */
  canaryWeight?: number;
  /** Fault to inject. */
  fault?: FaultState;
  /** Mirror to add. */
  mirror?: MirrorState;
  /** A/B: requests matching this go 100% to the canary (a route is inserted before the target route). */
  abMatch?: HTTPMatchRequest[];
  /** Retry policy set on the target route (and on the routes the experiment inserts), as Istio's `HTTPRetry`. */
  retries?: HTTPRetry;
  /** DestinationRule traffic-policy settings to apply. */
  policy?: PolicyState;
}
