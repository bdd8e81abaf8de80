/**
 * The contract of the sequential (anytime-valid) canary tests: fed once a second with the counts
 * of that second, each test returns its e-value, the bound 1/α it must cross, and a decision that
 * holds however often one looks (README.md beside this file: the tests, formulas and citations).
 */

/**
 * What a sequential test concludes so far. Each conclusion is sticky once reached; `regression` outranks
 * `non-inferior` (a step stops at non-inferiority only with `promoteEarly`, so a later regression still counts).
 */
export type SequentialDecision = 'regression' | 'non-inferior' | 'continue';

/** One arm's requests and failures in one update (incremental) or so far (cumulative). */
export interface ArmCounts {
  /** Requests answered. */
  requests: number;
  /** Of which failed. */
  errors: number;
}

/**
 * One arm's latencies in one second as sparse bucket counts, ascending by bucket. The recorder's sealed
 * cells (`BucketCounts` of src/load/bucket-counts.ts) have this shape and can be passed as they are.
 */
export interface LatencyBuckets {
  /** Bucket keys, strictly ascending (HDR bucket indices or bucket values in ms: any order-preserving key). */
  index: ArrayLike<number>;
  /** The count of each bucket. */
  count: ArrayLike<number>;
  /** Entries in use (the first `size` of `index`/`count`). @default index.length */
  size?: number;
}

/** Samples seen per version. */
export interface SampleCounts {
  /** Canary requests. */
  canary: number;
  /** Stable requests. */
  stable: number;
}

/** A time-uniform interval: it covers the true value at every update at once with probability ≥ `confidence`. */
export interface ConfidenceSequenceInterval {
  /** Lower bound. */
  lower: number;
  /** Upper bound. */
  upper: number;
  /** 1 − α. */
  confidence: number;
}

/** The state of a sequential test after an update. */
export interface SequentialResult {
  /** The e-value against "the canary is not worse" (≥ 0; 1 is "no evidence"; its running maximum decides). */
  eValue: number;
  /** The e-value against "the canary is worse than the non-inferiority margin", where `non-inferior` rests on one (the latency test; the error-rate test's rests on `interval`). */
  nonInferiorityEValue?: number;
  /** 1/α: an e-value at or above it rejects its null. */
  threshold: number;
  /** The decision so far. */
  decision: SequentialDecision;
  /** Updates fed so far (seconds, when fed once a second). */
  updates: number;
  /** Samples seen so far. */
  samples: SampleCounts;
  /** The update (1-based) at which the current decision was first reached. */
  crossedAtUpdate?: number;
  /** The samples seen then. */
  crossedAtSamples?: SampleCounts;
  /** When the decision is `regression` but non-inferiority had been reached before (or at once): that update. */
  nonInferiorAtUpdate?: number;
  /**
   * The confidence sequence of the compared quantity: for the error-rate test, canary minus stable error
   * rate; for the latency test (with `confidenceSequence`), the odds ratio of being slower than the first cut.
   */
  interval?: ConfidenceSequenceInterval;
}

/** A sequential test of an error rate. */
export interface SequentialErrorRateTest {
  /** Feeds one update (a second's counts, or the totals so far with `counts: 'cumulative'`). */
  update(counts: { canary: ArmCounts; stable: ArmCounts }): SequentialResult;
  /** The state after the last update. */
  result(): SequentialResult;
}

/** A sequential test of a latency distribution. */
export interface SequentialLatencyTest {
  /** Feeds one second's bucket counts of each version (incremental only). */
  update(counts: { canary: LatencyBuckets; stable: LatencyBuckets }): SequentialResult;
  /** The state after the last update. */
  result(): SequentialResult;
}

/**
 * A sequential test of one version's share of bad requests against a fixed bound (an absolute SLO: errors,
 * or requests slower than a latency bound). Its result reports the version's requests in `samples.canary`.
 */
export interface SequentialThresholdTest {
  /** Feeds one second's requests and bad ones (`errors`: failed, or slower than the latency bound). */
  update(counts: ArmCounts): SequentialResult;
  /** The state after the last update. */
  result(): SequentialResult;
}
