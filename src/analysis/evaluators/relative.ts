/**
 * What the two relative evaluators share: the decision rule (Kayenta's judge) and the wording.
 *
 * A relative check fails only when the canary is worse **significantly** (at 1 − confidence) **and**
 * by more than the allowed increase; it is critical when even the interval's lower bound is beyond
 * the critical increase. Too few requests of either version is "no data", never a pass.
 */
import type { CheckInterval, CheckResult } from '../../model/result.js';
import { withinThreshold } from '../judge.js';
import { formatConfidence, plural } from '../format.js';

/** The figures of one relative comparison, canary − stable. */
export interface Comparison {
  /** Point estimate of the difference (relative shift, or percentage points as a fraction). */
  value: number;
  /** Interval of the difference at `confidence`. */
  interval: CheckInterval;
  /** Whether the canary is worse with significance 1 − confidence. */
  significantlyWorse: boolean;
}

/** Judges a comparison against the allowed and critical increases. */
export function relativeVerdict(c: Comparison, allowed: number, critical: number | undefined): Pick<CheckResult, 'verdict' | 'critical'> {
  const beyondAllowed = !withinThreshold(c.value, allowed, 'max');
  if (!c.significantlyWorse || !beyondAllowed) return { verdict: 'pass' };
  const isCritical = critical !== undefined && c.interval.low > critical;
  return isCritical ? { verdict: 'fail', critical: true } : { verdict: 'fail' };
}

/** The words after the figures: why it passed or failed, up to the open parenthesis of the verdict. */
export function relativeReason(
  c: Comparison,
  verdict: Pick<CheckResult, 'verdict' | 'critical'>,
  limits: { allowed: number; format: (v: number) => string; critical: number | undefined; confidence: number },
): string {
  const allowed = limits.format(limits.allowed);
  if (verdict.verdict === 'fail') {
    return verdict.critical
      ? `worse beyond the critical ${limits.format(limits.critical ?? 0)} even at the interval's low end (FAIL, critical: rolls back at once`
      : `significantly worse, beyond the allowed ${allowed} (FAIL`;
  }
  if (!withinThreshold(c.value, limits.allowed, 'max')) return `beyond the allowed ${allowed} but not significant at ${formatConfidence(limits.confidence)}, so possibly noise (PASS`;
  if (c.significantlyWorse) return `significantly worse, but within the allowed ${allowed} (PASS`;
  return `within the allowed ${allowed} (PASS`;
}

/** The fields of a relative check known before judging. */
export function relativeBase(slo: { name?: string | undefined; kind: string; allowedIncrease: number }, defaultName: string, samples: number) {
  return { name: slo.name ?? defaultName, kind: slo.kind, subject: 'canary vs stable', threshold: slo.allowedIncrease, comparator: 'max' as const, samples };
}

/** The no-data check of a relative SLO. */
export function relativeNoData(base: ReturnType<typeof relativeBase>, what: string, why: string): CheckResult {
  return { ...base, value: null, verdict: 'no-data', message: `${what}: no data (${why})` };
}

/** "1204 canary requests, 1187 stable requests". */
export function countsPhrase(canary: number, stable: number): string {
  return `${plural(canary, 'canary request')}, ${plural(stable, 'stable request')}`;
}

/** The no-data reason when either version has fewer than `min` samples, else undefined. */
export function shortOfSamples(canary: number, stable: number, min: number, names: { canary: string; stable: string }): string | undefined {
  const short = [canary < min ? `${plural(canary, 'request')} served by ${names.canary}` : '', stable < min ? `${plural(stable, 'request')} served by ${names.stable}` : ''].filter(Boolean);
  return short.length ? `${short.join(' and ')}, ${min} needed of each` : undefined;
}
