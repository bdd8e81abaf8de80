/**
 * k6 `thresholds` from the experiment's SLOs, so a standalone `k6 run` of the exported script
 * judges what mesh-exp judges (exit 99 when one fails). mesh-exp's own analysis stays the judge
 * during `run`; these are the same limits written in k6's language.
 */
import { UsageError } from '../../errors.js';
import type { SloSpec, SubjectSloSpec, TargetSpec } from '../../experiment/schema.js';
import { FAILED_METRIC, LATENCY_METRIC, VERSION_TAG } from './k6-names.js';

/** k6 thresholds: metric (or submetric `name{tag:value}`) → threshold expressions. */
export type K6Thresholds = Record<string, string[]>;

/** What {@link k6Thresholds} needs. */
export interface K6ThresholdsOptions {
  /** The SLOs to translate; kinds k6 cannot see (prometheus) are listed in `skipped`. */
  slos: readonly SloSpec[];
  /** Stable and canary subset names: the version tag values of `subject` stable and canary. */
  target: Pick<TargetSpec, 'stable' | 'canary'>;
}

/** The thresholds, and the SLOs that have none. */
export interface K6ThresholdsResult {
  /** Thresholds keyed by (sub)metric, in SLO order. */
  thresholds: K6Thresholds;
  /** SLOs without a k6 equivalent, each with why, for a comment in the script. */
  skipped: string[];
}

/** k6's aggregation method for a latency SLO percentile. */
const TREND_METHOD: Record<string, string> = {
  p50: 'med',
  p90: 'p(90)',
  p95: 'p(95)',
  p99: 'p(99)',
  'p99.9': 'p(99.9)',
  max: 'max',
};

// k6 splits a submetric selector on "," and ":" and ends it at "}", and trims spaces:
// a version name outside this set could select something else than meant.
const SAFE_TAG_VALUE = /^[A-Za-z0-9._\-]+$/;

/** The (sub)metric of `metric` for the responses of `subject`. */
function submetric(metric: string, subject: SubjectSloSpec['subject'], target: K6ThresholdsOptions['target']): string {
  if (subject === 'all') return metric;
  const version = subject === 'canary' ? target.canary : target.stable;
  if (!SAFE_TAG_VALUE.test(version)) {
    throw new UsageError(`cannot write a k6 threshold for version "${version}"`, {
      hint: 'k6 submetric selectors need version names of letters, digits, ".", "_" and "-"',
    });
  }
  return `${metric}{${VERSION_TAG}:${version}}`;
}

/** Shortest decimal text of a number (no exponent for the ms and fractions SLOs hold). */
function num(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** Translates SLOs to k6 thresholds. A limit is "highest acceptable", so the comparison is `<=`. */
export function k6Thresholds(options: K6ThresholdsOptions): K6ThresholdsResult {
  const thresholds: K6Thresholds = {};
  const skipped: string[] = [];
  const add = (key: string, expr: string) => {
    (thresholds[key] ??= []).push(expr);
  };
  for (const slo of options.slos) {
    switch (slo.kind) {
      case 'latency':
        add(submetric(LATENCY_METRIC, slo.subject, options.target), `${TREND_METHOD[slo.percentile]}<=${num(slo.max)}`);
        break;
      case 'error-rate':
        add(submetric(FAILED_METRIC, slo.subject, options.target), `rate<=${num(slo.max)}`);
        break;
      case 'relative-latency':
      case 'relative-error-rate':
        skipped.push(`${slo.name ?? slo.kind} (canary vs stable): a comparison of two versions judged by mesh-exp, not a k6 threshold`);
        break;
      case 'response-flag':
      case 'ejections':
      case 'retry-success-rate':
        skipped.push(`${slo.name ?? slo.kind} (${slo.subject}): the mesh's own view (its admin or Prometheus), judged by mesh-exp, not visible to k6`);
        break;
      default:
        skipped.push(`${slo.name ?? slo.kind} (${slo.subject}): judged on Prometheus by mesh-exp, not visible to k6`);
    }
  }
  return { thresholds, skipped };
}
