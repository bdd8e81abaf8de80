/**
 * The sticky decision of a sequential test: the first update at which regression or non-inferiority
 * holds decides, and records when and after how many samples. Stopping at the first crossing is what
 * the α bound is about; later updates only refresh the figures.
 */
import type { ConfidenceSequenceInterval, SampleCounts, SequentialDecision, SequentialResult } from './types.js';

/** What an update found. */
export interface DecisionInput {
  /** The regression e-value. */
  eValue: number;
  /** The non-inferiority e-value, where there is one. */
  nonInferiorityEValue?: number;
  /** Whether regression holds now. */
  regression: boolean;
  /** Whether non-inferiority holds now. */
  nonInferior: boolean;
  /** Samples so far. */
  samples: SampleCounts;
  /** The confidence sequence now, where there is one. */
  interval?: ConfidenceSequenceInterval;
}

/** Keeps the decision. */
export interface DecisionTracker {
  /** Records an update and returns the result. */
  record(input: DecisionInput): SequentialResult;
  /** The last result. */
  current(): SequentialResult;
}

/** Creates a tracker for the bound `threshold` (1/α). */
export function createDecisionTracker(threshold: number): DecisionTracker {
  let updates = 0;
  let decision: SequentialDecision = 'continue';
  let crossed: { update: number; samples: SampleCounts } | undefined;
  let last: SequentialResult = { eValue: 1, threshold, decision, updates, samples: { canary: 0, stable: 0 } };
  return {
    record(input) {
      updates++;
      if (decision === 'continue' && (input.regression || input.nonInferior)) {
        // Both at once cannot happen with valid tests and a margin ≥ 0 except by chance; regression wins (safer).
        decision = input.regression ? 'regression' : 'non-inferior';
        crossed = { update: updates, samples: { ...input.samples } };
      }
      last = {
        eValue: input.eValue,
        ...(input.nonInferiorityEValue === undefined ? {} : { nonInferiorityEValue: input.nonInferiorityEValue }),
        threshold,
        decision,
        updates,
        samples: { ...input.samples },
        ...(crossed ? { crossedAtUpdate: crossed.update, crossedAtSamples: { ...crossed.samples } } : {}),
        ...(input.interval ? { interval: input.interval } : {}),
      };
      return last;
    },
    current: () => last,
  };
}
