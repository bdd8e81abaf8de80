/**
 * How the reports say what a step's sequential (anytime-valid) tests showed
 * (`steps[].sequential[]`): one sentence per test, e.g. "certain regression after 14 s on 180
 * canary / 1,620 stable requests (e-value 132 ≥ 100 = 1/α)", and whether the step ended early.
 * Plain text shared by report.html, summary.md and junit.xml: each format escapes it for itself.
 */
import { formatPercent, formatPoints, formatSignedPercent } from '../analysis/format.js';
import type { SequentialPoint, SequentialTrace, StepResult } from '../model/result.js';

/** Thousands separated, whatever the host's locale: "1,620". */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/**
 * An e-value for people, to three significant digits: "132", "3.2", "0.0412", "12,300",
 * "1.2e+45" (from a million up, and below 0.001), "∞".
 */
export function formatEValue(e: number): string {
  if (!Number.isFinite(e)) return e > 0 ? '∞' : '—';
  if (e === 0) return '0';
  if (e >= 1e6 || e < 1e-3) return e.toExponential(1).replace('.0e', 'e');
  if (e >= 1000) return formatCount(Math.round(e));
  return String(Number(e.toPrecision(3)));
}

/** Seconds into a step: "14 s", "14.5 s", "2 min 05 s", "1 h 02 min". */
export function formatStepTime(t: number): string {
  if (!Number.isFinite(t) || t < 0) return '—';
  if (t < 60) return `${Number(t.toFixed(1))} s`;
  const whole = Math.round(t);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** How a value of a test's confidence sequence reads: see {@link boundStyle}. */
export type BoundStyle = 'points' | 'percent' | 'change' | 'number';

/**
 * How the values of a test's `quantity` read: a difference of error rates in points
 * ("+1.24pp"); a share of bad requests against an absolute SLO's bound in percent ("0.85%"), the
 * Prometheus-counted ones too; a latency
 * change (canary ÷ stable − 1) in signed percent ("+12.0%"); anything else (a Prometheus value)
 * as a number.
 */
export function boundStyle(trace: Pick<SequentialTrace, 'kind' | 'bound'>): BoundStyle {
  // The runner's kinds: "error-rate"/"latency" (canary against stable), "error-rate-bound"/"latency-bound" (against an absolute SLO),
  // "prometheus-bound" (a share of the canary's requests counted by Prometheus, against a built-in SLO's bound).
  const kind = trace.kind.replace(/^relative-/, '').replace(/-bound$/, '');
  if (trace.bound !== undefined && (kind === 'error-rate' || kind === 'latency' || kind === 'prometheus')) return 'percent';
  if (kind === 'error-rate') return 'points';
  return kind === 'latency' ? 'change' : 'number';
}

/** A value of the confidence sequence (or a margin or bound), as {@link boundStyle} says, in the checks' own formats ("+1.24pp", "0.85%", "+12.0%"). */
export function formatBound(trace: Pick<SequentialTrace, 'kind' | 'bound'>, v: number): string {
  switch (boundStyle(trace)) {
    case 'points':
      return formatPoints(v);
    case 'percent':
      return formatPercent(v);
    case 'change':
      return formatSignedPercent(v);
    default:
      return v < 0 ? `−${formatEValue(-v)}` : formatEValue(v);
  }
}

/** The look at which the decision was reached (the last look at or before `crossedAt`), if any. */
export function crossingPoint(trace: SequentialTrace): SequentialPoint | undefined {
  if (trace.crossedAt === undefined) return undefined;
  let found: SequentialPoint | undefined;
  for (const p of trace.points) if (p.t <= trace.crossedAt + 1e-9) found = p;
  return found;
}

const compared = (e: number, threshold: number) => `${formatEValue(e)} ${e >= threshold ? '≥' : '<'} ${formatEValue(threshold)}`;

/**
 * "on 180 canary / 1,620 stable requests"; a one-version test of an absolute SLO (a bound, no
 * stable samples) "on 130 canary requests", or "on 130 canary requests counted by Prometheus" for
 * a prometheus built-in's (kind prometheus-bound).
 */
function samplesSaid(trace: SequentialTrace, samples: { canary: number; stable: number } | undefined): string {
  if (!samples) return '';
  const unit = trace.kind === 'prometheus' ? 'samples' : trace.kind === 'prometheus-bound' ? 'requests counted by Prometheus' : 'requests';
  if (trace.bound !== undefined && samples.stable === 0) return ` on ${formatCount(samples.canary)} canary ${unit}`;
  return ` on ${formatCount(samples.canary)} canary / ${formatCount(samples.stable)} stable ${unit}`;
}

/** The evidence for non-inferiority: its own e-value, or the confidence sequence below the margin. */
function nonInferiorEvidence(trace: SequentialTrace, at: SequentialPoint | undefined): string {
  if (at?.nonInferiorityEValue !== undefined) return `non-inferiority e-value ${compared(at.nonInferiorityEValue, trace.threshold)} = 1/α`;
  if (at?.lower !== undefined && at.upper !== undefined) {
    const limit = trace.bound !== undefined ? `the bound ${formatBound(trace, trace.bound)}` : trace.margin === undefined ? 'the margin' : `the margin ${formatBound(trace, trace.margin)}`;
    return `confidence sequence [${formatBound(trace, at.lower)}, ${formatBound(trace, at.upper)}] below ${limit}`;
  }
  return `e-value ${formatEValue(at?.eValue ?? trace.eValue)}`;
}

/**
 * What one sequential test showed, as a clause: "certain regression after 14 s on 180 canary /
 * 1,620 stable requests (e-value 132 ≥ 100 = 1/α)", "certain non-inferiority after 41 s on …
 * (non-inferiority e-value 104 ≥ 100 = 1/α)" or "no certain conclusion by the step's end
 * (e-value 3.2 < 100)". The figures are those of the look where the bound was crossed.
 */
export function sequentialSentence(trace: SequentialTrace): string {
  const at = crossingPoint(trace);
  const when = trace.crossedAt === undefined ? '' : ` after ${formatStepTime(trace.crossedAt)}`;
  const samples = samplesSaid(trace, trace.crossedAtSamples ?? at?.samples);
  if (trace.decision === 'regression') return `certain regression${when}${samples} (e-value ${compared(at?.eValue ?? trace.eValue, trace.threshold)} = 1/α)`;
  if (trace.decision === 'non-inferior') return `certain non-inferiority${when}${samples} (${nonInferiorEvidence(trace, at)})`;
  return `no certain conclusion by the step's end (e-value ${compared(trace.eValue, trace.threshold)})`;
}

/** "ended early: certain regression", or undefined when the step ran its whole interval. */
export function endedEarlyLabel(step: Pick<StepResult, 'endedEarly'>): string | undefined {
  if (step.endedEarly === 'regression') return 'ended early: certain regression';
  if (step.endedEarly === 'non-inferior') return 'ended early: certain non-inferiority';
  return undefined;
}

/** "canary-error-rate (error-rate, α = 0.01)": which test a line is about. */
export function sequentialTitle(trace: SequentialTrace): string {
  return `${trace.name} (${trace.kind}, α = ${Number(trace.alpha.toPrecision(3))})`;
}
