/**
 * The decision of a sequential test. Each conclusion is sticky on its own: the first update at which
 * regression holds is recorded and stays, and likewise for non-inferiority. Regression outranks
 * non-inferiority, because a step stops at non-inferiority only with `promoteEarly`: without it the
 * step goes on, and a later regression must still stop it. The two can both hold when the true
 * difference lies between the regression margin and the non-inferiority margin ("worse, but within
 * what is allowed"); each keeps its own α, since each is a level-α test used once.
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

interface Crossing {
  update: number;
  samples: SampleCounts;
}

/** Creates a tracker for the bound `threshold` (1/α). */
export function createDecisionTracker(threshold: number): DecisionTracker {
  let updates = 0;
  let regressionAt: Crossing | undefined;
  let nonInferiorAt: Crossing | undefined;
  let last: SequentialResult = { eValue: 1, threshold, decision: 'continue', updates, samples: { canary: 0, stable: 0 } };
  return {
    record(input) {
      updates++;
      const now = () => ({ update: updates, samples: { ...input.samples } });
      if (!regressionAt && input.regression) regressionAt = now();
      if (!nonInferiorAt && input.nonInferior) nonInferiorAt = now();
      const decision: SequentialDecision = regressionAt ? 'regression' : nonInferiorAt ? 'non-inferior' : 'continue';
      const crossed = regressionAt ?? nonInferiorAt;
      last = {
        eValue: input.eValue,
        ...(input.nonInferiorityEValue === undefined ? {} : { nonInferiorityEValue: input.nonInferiorityEValue }),
        threshold,
        decision,
        updates,
        samples: { ...input.samples },
        ...(crossed ? { crossedAtUpdate: crossed.update, crossedAtSamples: { ...crossed.samples } } : {}),
        ...(nonInferiorAt && regressionAt ? { nonInferiorAtUpdate: nonInferiorAt.update } : {}),
        ...(input.interval ? { interval: input.interval } : {}),
      };
      return last;
    },
    current: () => last,
  };
}
