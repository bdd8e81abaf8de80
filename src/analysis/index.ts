/**
 * Analysis: SLO verdicts over a window's stats, the decision after a step, and the run summary.
 * Pure functions only.
 */
export { evaluateChecks, checkName, type EvaluateOptions } from './evaluate.js';
export { decide, countsAsFailure, type DecideInput, type DecideOutput } from './decide.js';
export { summarizeRun, type SummaryInput } from './summary.js';
export { createEvaluatorRegistry, defaultEvaluators, getEvaluator, formatCheckValue, type EvaluatorRegistry, type AnyEvaluator } from './registry.js';
export { judge, withinThreshold, type JudgeInput } from './judge.js';
export { versionOfSubject, statsOfSubject, versionLabel, UNKNOWN_VERSION, ALL_VERSION, FAULT_ABORT_VERSION, type Subject } from './subject.js';
export { formatMs, formatPercent, plural } from './format.js';
export type { SloEvaluator, CheckOptions, EvaluationInput } from './types.js';
