/**
 * A/A mode: the stable judged against itself, to show how often the SLOs raise a false alarm on
 * this system. Every request goes to the stable (canary weight 0); each response the stable serves
 * is assigned at random (seeded) to group A or group B, and the SLOs are judged with A in the
 * stable's place and B in the canary's, over `windows` windows. Nothing is promoted or rolled back
 * for a failed check: a failure here *is* the false alarm being measured.
 */
import { createSeededRandom } from '../seeded-random.js';
import type { Sample } from '../load/types.js';
import type { Experiment } from '../experiment/schema.js';
import { planSteps, type StepPlan } from '../experiment/step-plan.js';

/** Options of an A/A run. */
export interface AaOptions {
  /** Windows judged (each one step of the plan). @default 10 */
  windows: number;
  /** Length of a window, ms. @default the experiment's step interval */
  windowMs?: number;
  /** Seed of the A/B assignment, recorded in the result so a run can be repeated. */
  seed: number;
}

/** Version names the two halves of the stable are recorded under. */
export interface AaGroups {
  /** Group A: judged as the stable. */
  stable: string;
  /** Group B: judged as the canary. */
  canary: string;
}

/** "v1:A" and "v1:B" for stable "v1". */
export function aaGroups(stable: string): AaGroups {
  return { stable: `${stable}:A`, canary: `${stable}:B` };
}

/** The A/A plan: `windows` steps with every request to the stable, nothing promoted. */
export function planAa(experiment: Experiment, aa: AaOptions): StepPlan {
  const windowMs = aa.windowMs ?? planSteps(experiment).steps[0]!.durationMs;
  const loadMs = Math.min(experiment.spec.load.duration ?? windowMs, windowMs);
  const steps = Array.from({ length: aa.windows }, (_, index) => ({
    index,
    label: `A/A window ${index + 1}/${aa.windows}`,
    state: { canaryWeight: 0 },
    canaryWeight: 0,
    durationMs: windowMs,
    loadDurationMs: loadMs,
  }));
  return { steps, promote: false, promotionState: { canaryWeight: 100 } };
}

/** Relabels the stable's samples as group A or B (seeded, independent per request); others pass. */
export function createAaSplitter(stable: string, seed: number): (sample: Sample) => Sample {
  const random = createSeededRandom(seed);
  const groups = aaGroups(stable);
  return (sample) => (sample.version === stable ? { ...sample, version: random() < 0.5 ? groups.stable : groups.canary } : sample);
}
