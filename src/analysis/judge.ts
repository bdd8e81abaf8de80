/**
 * The shared core of threshold SLOs: no-data when samples are short, otherwise compare the value
 * with the threshold and say so in one plain line.
 */
import type { CheckInterval, CheckResult, Verdict } from '../model/result.js';
import { plural } from './format.js';

/** Everything needed to judge one value against one threshold. */
export interface JudgeInput {
  /** Check name, e.g. "canary-latency-p99". */
  name: string;
  /** SLO kind, e.g. "latency". */
  kind: string;
  /** Whose responses were judged, e.g. "canary". */
  subject: string;
  /** What is measured, in words, e.g. "canary p99 latency"; starts the message. */
  what: string;
  /** Measured value; null when there was nothing to measure. */
  value: number | null;
  /** The limit. */
  threshold: number;
  /** "max": value must be <= threshold; "min": value must be >= threshold. */
  comparator: 'max' | 'min';
  /** Samples the value is based on. */
  samples: number;
  /** Fewer samples than this make the verdict "no-data". */
  minSamples: number;
  /** Formats value and threshold for the message, e.g. ["412ms", "250ms"]. */
  formatPair(value: number, threshold: number): [string, string];
  /** What the samples are, e.g. "512 requests" or "21 of 512 requests failed". @default "<samples> requests" */
  detail?: string;
  /** Said after the sample count when there is not enough data, e.g. "served by v2". @default "" */
  noDataDetail?: string;
  /** Confidence interval of the value, kept on a pass or fail. @default none */
  interval?: CheckInterval | undefined;
}

// Values computed by division (5/500) and thresholds parsed from text ("1%" → 1/100) can differ
// in the last bit; a value equal to its threshold must pass, so compare with a relative tolerance.
const RELATIVE_TOLERANCE = 1e-9;

/** Whether `value` is within `threshold` for `comparator`; equality passes. */
export function withinThreshold(value: number, threshold: number, comparator: 'max' | 'min'): boolean {
  const slack = Math.abs(threshold) * RELATIVE_TOLERANCE + Number.EPSILON;
  return comparator === 'max' ? value <= threshold + slack : value >= threshold - slack;
}

/** Judges a value against a threshold; never passes on too few samples or a missing value. */
export function judge(input: JudgeInput): CheckResult {
  const { value, threshold, comparator, samples, minSamples } = input;
  const base = {
    name: input.name,
    kind: input.kind,
    subject: input.subject,
    threshold,
    comparator,
    samples,
  };
  if (samples < minSamples || value === null || !Number.isFinite(value)) {
    const served = input.noDataDetail ? ` ${input.noDataDetail}` : '';
    const why =
      samples < minSamples
        ? `${plural(samples, 'request')}${served}, ${minSamples} needed`
        : `no value over ${plural(samples, 'request')}${served}`;
    return { ...base, value: null, verdict: 'no-data', message: `${input.what}: no data (${why})` };
  }
  const verdict: Verdict = withinThreshold(value, threshold, comparator) ? 'pass' : 'fail';
  const [v, t] = input.formatPair(value, threshold);
  const op = verdict === 'pass' ? (comparator === 'max' ? '<=' : '>=') : comparator === 'max' ? '>' : '<';
  const detail = input.detail ?? plural(samples, 'request');
  const message = `${input.what} ${v} ${op} ${t} ${comparator} (${verdict === 'pass' ? 'PASS' : 'FAIL'}, ${detail})`;
  return { ...base, value, ...(input.interval ? { interval: input.interval } : {}), verdict, message };
}
