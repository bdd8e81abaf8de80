/**
 * The sequential (anytime-valid) canary tests: what the runner and the report use. README.md beside
 * this file gives the tests, their formulas, why they hold under continuous monitoring, and figures.
 */
export { createSequentialErrorRateTest, type SequentialErrorRateOptions } from './error-rate.js';
export { createSequentialLatencyTest, type SequentialLatencyOptions } from './latency.js';
export { createSequentialThresholdTest, type SequentialThresholdOptions } from './threshold.js';
export type {
  ArmCounts,
  ConfidenceSequenceInterval,
  LatencyBuckets,
  SampleCounts,
  SequentialDecision,
  SequentialErrorRateTest,
  SequentialLatencyTest,
  SequentialResult,
  SequentialThresholdTest,
} from './types.js';
