/**
 * The traffic change of one step, as every layer speaks of it: the runner plans it, providers
 * apply it, reports and labels describe it.
 */
import type { HTTPMatchRequest } from '../istio/types.js';

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
 * The desired state of the parts of the VirtualService the experiment manages, at one step.
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
}
