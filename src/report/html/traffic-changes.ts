/**
 * Faults, mirrors and A/B routes of a run, and when each was in effect: what the report draws as
 * shaded bands on every chart and lists in its "Faults and mirrors" table.
 *
 * The runner applies them with every step and removes them with the restore, or with the
 * promotion, which leaves only the canary at 100%. So one is in effect from the first step's start
 * to the "restored"/"promoted" event (the run's end when that event is missing), and is not known
 * to be removed when the restore failed.
 */
import type { RunResult } from '../../model/result.js';
import { describeState } from '../../model/labels.js';
import { baseState } from '../../experiment/step-plan.js';
import type { Experiment } from '../../experiment/schema.js';
import type { TrafficState } from '../../traffic/types.js';

/** One traffic change besides the weights, and when it was in effect. */
export interface TrafficChange {
  /** "fault", "mirror" or "match" (an A/B route to the canary). */
  kind: 'fault' | 'mirror' | 'match';
  /** As the step labels say it, e.g. "fault delay 150ms on 100%", "mirror 100% to v2". */
  label: string;
  /** Epoch ms it took effect (the first step's start). */
  appliedAt: number;
  /** Epoch ms it was removed; null when the restore failed (it may still be in place). */
  removedAt: number | null;
}

// The runner's own event wording for the end of the experiment's routes (src/runner/runner.ts).
const REMOVAL_EVENT = /^(restored|promoted)\b/i;

/**
 * When the experiment's routes ended: the time of the "restored …" or "promoted …" event after
 * the last step; undefined when there is none (no step ran, or the restore failed).
 */
export function routesEndedAt(result: Pick<RunResult, 'steps' | 'events'>): number | undefined {
  const lastEnd = result.steps.at(-1)?.endedAt;
  if (lastEnd === undefined) return undefined;
  return result.events.find((e) => e.time >= lastEnd && REMOVAL_EVENT.test(e.message))?.time;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fault, mirror and A/B match of the experiment's traffic section, each kept only when it has
 * the shape a run writes (result.json may have been edited by hand); undefined without a section.
 */
function trafficOf(experiment: unknown): { traffic: Experiment['spec']['traffic']; canary: string } | undefined {
  const spec = (experiment as { spec?: { traffic?: unknown; target?: { canary?: unknown } } } | null | undefined)?.spec;
  if (!isObject(spec?.traffic)) return undefined;
  const { fault, mirror, match } = spec.traffic;
  const traffic: Record<string, unknown> = {};
  if (isObject(fault) && (isObject(fault['delay']) || isObject(fault['abort']))) traffic['fault'] = fault;
  if (isObject(mirror) && typeof mirror['subset'] === 'string') traffic['mirror'] = mirror;
  if (Array.isArray(match)) traffic['match'] = match;
  return { traffic: traffic as Experiment['spec']['traffic'], canary: String(spec.target?.canary ?? 'canary') };
}

/** The changes of `result`, in the order fault, mirror, match; [] when there are none. */
export function trafficChanges(result: Pick<RunResult, 'experiment' | 'steps' | 'events' | 'endedAt' | 'restored'>): TrafficChange[] {
  const found = trafficOf(result.experiment);
  const first = result.steps[0];
  if (!found || !first) return [];
  let state: TrafficState;
  try {
    state = baseState(found.traffic);
  } catch {
    // A hand-edited result.json with a malformed traffic section: show the run without bands.
    return [];
  }
  const removedAt = result.restored ? (routesEndedAt(result) ?? result.endedAt) : null;
  const parts: { kind: TrafficChange['kind']; state: TrafficState }[] = [];
  if (state.fault) parts.push({ kind: 'fault', state: { fault: state.fault } });
  if (state.mirror) parts.push({ kind: 'mirror', state: { mirror: state.mirror } });
  if (state.abMatch) parts.push({ kind: 'match', state: { abMatch: state.abMatch } });
  return parts.map(({ kind, state: s }) => ({ kind, label: describeState(s, found.canary), appliedAt: first.startedAt, removedAt }));
}
