/**
 * The step plan of an experiment (pure): which TrafficState each step applies, for how long, and
 * how long load runs in it. A shift gives one step per weight; a fault, mirror or A/B match
 * without a shift gives one step. Fault, mirror, A/B match, retries and policy apply at every step;
 * promotion removes them all (they are the experiment's test conditions, not the release).
 */
import type { Experiment } from './schema.js';
import type { TrafficState } from '../model/traffic-state.js';
import { describeState } from '../model/labels.js';

/** Step length when the experiment has neither a shift nor a fault/mirror duration (ms). */
export const DEFAULT_STEP_MS = 30_000;

/** One planned step. */
export interface PlannedStep {
  /** 0-based index. */
  index: number;
  /** Human label, e.g. "canary 25%". */
  label: string;
  /** The full managed state of this step (weights + fault + mirror + A/B match). */
  state: TrafficState;
  /** Canary weight of the step, or null when the experiment does not shift. */
  canaryWeight: number | null;
  /** How long the step lasts (its analysis window), ms. */
  durationMs: number;
  /** How long load runs in the step (`load.duration` ?? the step duration), ms. */
  loadDurationMs: number;
}

/** The whole plan. */
export interface StepPlan {
  /** Steps in order (at least one). */
  steps: PlannedStep[];
  /** Whether success leaves the canary at 100% (`shift.promote`; false without a shift). */
  promote: boolean;
  /** State applied on promotion: canary 100% and nothing else (faults, mirrors, A/B routes removed). */
  promotionState: TrafficState;
}

/**
 * Most steps a shift may have. Each step is a traffic change, a load window and a judgement; a
 * thousand is far beyond any real rollout, and a limit keeps a tiny `stepWeight` (1e-9) from
 * planning billions of steps, which would exhaust memory before the first request.
 */
export const MAX_SHIFT_STEPS = 1000;

/** How many steps a shift plans, computed without planning them (Infinity for a weight too small to add up). */
export function shiftStepCount(shift: NonNullable<Experiment['spec']['traffic']['shift']>): number {
  if (shift.steps?.length) return shift.steps.length;
  const step = shift.stepWeight ?? 100;
  const max = shift.maxWeight ?? 100;
  // Weights are rounded to 1e-6 (see shiftWeights): a step below that never reaches maxWeight.
  return step < 1e-6 ? Infinity : Math.max(1, Math.ceil(max / step));
}

/**
 * Canary weights of a shift: explicit `steps`, or `stepWeight`, 2×stepWeight, ... below
 * `maxWeight` and then `maxWeight` itself (default 100), so the last step is always maxWeight.
 * @throws RangeError past {@link MAX_SHIFT_STEPS} (validation refuses such a shift first)
 */
export function shiftWeights(shift: NonNullable<Experiment['spec']['traffic']['shift']>): number[] {
  if (shiftStepCount(shift) > MAX_SHIFT_STEPS) throw new RangeError(`a shift of more than ${MAX_SHIFT_STEPS} steps`);
  if (shift.steps?.length) return [...shift.steps];
  const step = shift.stepWeight ?? 100;
  const max = shift.maxWeight ?? 100;
  const weights: number[] = [];
  // Round to avoid 0.1 + 0.2 style drift in labels and weights.
  for (let k = 1; k <= MAX_SHIFT_STEPS; k++) {
    const w = Math.round(k * step * 1e6) / 1e6;
    if (w >= max) break;
    weights.push(w);
  }
  weights.push(max);
  return weights;
}

/** The managed state every step shares: fault, mirror and A/B match from the spec. */
export function baseState(traffic: Experiment['spec']['traffic']): TrafficState {
  const state: TrafficState = {};
  const f = traffic.fault;
  if (f) {
    state.fault = {};
    if (f.delay) Object.assign(state.fault, { delayMs: f.delay.fixedDelay, delayPercent: f.delay.percentage });
    if (f.abort) Object.assign(state.fault, { abortStatus: f.abort.httpStatus, abortPercent: f.abort.percentage });
    if (f.subset) state.fault.subset = f.subset;
    if (f.match) state.fault.match = structuredClone(f.match);
  }
  if (traffic.mirror) state.mirror = { subset: traffic.mirror.subset, percentage: traffic.mirror.percentage };
  if (traffic.match) state.abMatch = structuredClone(traffic.match);
  if (traffic.retries) state.retries = structuredClone(traffic.retries);
  if (traffic.policy) {
    const { duration: _duration, ...policy } = traffic.policy;
    state.policy = structuredClone(policy);
  }
  return state;
}

/** Derives the step plan of an experiment. */
export function planSteps(experiment: Experiment): StepPlan {
  const { traffic, load, target } = experiment.spec;
  const base = baseState(traffic);
  const loadFor = (ms: number) => load.duration ?? ms;
  const make = (index: number, canaryWeight: number | null, durationMs: number): PlannedStep => {
    const state: TrafficState = { ...structuredClone(base) };
    if (canaryWeight !== null) state.canaryWeight = canaryWeight;
    return { index, label: describeState(state, target.canary), state, canaryWeight, durationMs, loadDurationMs: loadFor(durationMs) };
  };
  if (traffic.shift) {
    const steps = shiftWeights(traffic.shift).map((w, i) => make(i, w, traffic.shift!.interval));
    return { steps, promote: traffic.shift.promote, promotionState: { canaryWeight: 100 } };
  }
  const durations = [traffic.fault?.duration, traffic.mirror?.duration, traffic.policy?.duration].filter((d): d is number => d !== undefined);
  const durationMs = durations.length ? Math.max(...durations) : DEFAULT_STEP_MS;
  return { steps: [make(0, null, durationMs)], promote: false, promotionState: { canaryWeight: 100 } };
}
