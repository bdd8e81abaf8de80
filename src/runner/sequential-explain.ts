/**
 * How a step's sequential tests are told: each test's check (its message gives the e-value
 * against 1/α, when the evidence crossed, the samples per version then, and the confidence
 * sequence), and its trace for result.json (`steps[].sequential[]`, thinned to about 1,200 looks
 * keeping the crossing). Pure.
 */
import { formatEValue, formatPoints } from '../analysis/format.js';
import { SEQUENTIAL_CHECK_KIND } from '../analysis/registry.js';
import type { SequentialResult } from '../analysis/sequential/index.js';
import type { CheckResult, SequentialPoint, SequentialTrace } from '../model/result.js';

/** Looks kept in a trace, at most (plus the crossing). */
export const MAX_TRACE_POINTS = 1200;

/** What the explanation needs of one test over a step. */
export interface TestRecord {
  /** The SLO's check name, e.g. "canary-vs-stable-error-rate". */
  name: string;
  /**
   * Which test: canary against stable (`error-rate`, `latency`), or the canary against an absolute
   * SLO's bound (`error-rate-bound`: its error rate; `latency-bound`: its share of requests slower than `limitMs`;
   * `prometheus-bound`: either, counted by Prometheus, for a prometheus built-in SLO).
   */
  kind: 'error-rate' | 'latency' | 'error-rate-bound' | 'latency-bound' | 'prometheus-bound';
  /** False-alarm bound. */
  alpha: number;
  /**
   * The margin or bound, a fraction: the non-inferiority margin in points (error-rate) or in slowdown
   * (latency); the SLO's bound on the share of bad requests (error-rate-bound, latency-bound).
   */
  margin: number;
  /** latency-bound, and prometheus-bound of request-duration: the SLO's latency limit, ms. */
  limitMs?: number;
  /** What the confidence sequence bounds, in words. */
  quantity: string;
  /** The test's state after its last look. */
  result: SequentialResult;
  /** Every look, ascending in t. */
  points: SequentialPoint[];
}

/** The look at which the decision was reached. */
function crossing(r: TestRecord): SequentialPoint | undefined {
  return r.result.crossedAtUpdate === undefined ? undefined : r.points[r.result.crossedAtUpdate - 1];
}

function seconds(t: number): string {
  return `${Math.round(t).toLocaleString('en-US')} s`;
}

function samplesPhrase(s: { canary: number; stable: number }, r: TestRecord): string {
  // A test of one version against a bound counts the canary's requests only.
  if (r.kind === 'prometheus-bound') return `${s.canary.toLocaleString('en-US')} canary requests counted by Prometheus`;
  if (r.kind === 'error-rate-bound' || r.kind === 'latency-bound') return `${s.canary.toLocaleString('en-US')} canary requests`;
  return `${s.canary.toLocaleString('en-US')} canary / ${s.stable.toLocaleString('en-US')} stable requests`;
}

/** A fraction as a percentage with up to 3 significant digits ("+12.5%", "0.8%"). */
function percent(v: number, signed: boolean): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const text = `${Number((100 * Math.abs(v)).toPrecision(3))}%`;
  return v < 0 ? `−${text}` : signed ? `+${text}` : text;
}

function intervalPhrase(r: TestRecord, p: Pick<SequentialPoint, 'lower' | 'upper'> | undefined): string {
  if (p?.lower === undefined || p.upper === undefined || Number.isNaN(p.lower)) return '';
  const f = r.kind === 'error-rate' ? formatPoints : (v: number) => percent(v, r.kind === 'latency');
  return `; CS for ${r.quantity}: [${f(p.lower)}, ${f(p.upper)}]`;
}

/** What the test compares, as the message's subject. */
function subjectOf(r: TestRecord): string {
  if (r.kind === 'error-rate') return 'canary vs stable error rate';
  if (r.kind === 'latency') return 'canary vs stable latency';
  if (r.kind === 'error-rate-bound') return `canary error rate against its ${percent(r.margin, false)} bound`;
  if (r.kind === 'prometheus-bound') return `${r.quantity} against its ${percent(r.margin, false)} bound`;
  return `canary requests slower than ${r.limitMs} ms against the ${percent(r.margin, false)} allowed`;
}

/** Why non-inferiority (or, for a bound, "certainly met") holds, in words. */
function nonInferiorWhy(r: TestRecord, at: SequentialPoint, bound: string): string {
  if (r.kind === 'error-rate') return `CS below the ${formatPoints(r.margin)} margin`;
  const e = `e-value ${formatEValue(at.nonInferiorityEValue ?? 0)} ≥ ${bound}`;
  if (r.kind === 'latency') return `${e} against being ${percent(r.margin, false)} slower or more`;
  return `${e} against the bound being exceeded`;
}

/** The one-line explanation of a test's decision (`stopped`: whether the step ended on it). */
export function sequentialMessage(r: TestRecord, stopped: boolean): string {
  const what = subjectOf(r);
  const bound = `${formatEValue(1 / r.alpha)} = 1/α`;
  const at = crossing(r);
  const last = r.points.at(-1);
  if (r.result.decision === 'regression' && at) {
    return `${what}: certain regression after ${seconds(at.t)} (e-value ${formatEValue(at.eValue)} ≥ ${bound}; ${samplesPhrase(at.samples, r)})${intervalPhrase(r, at)}`;
  }
  const tail = stopped ? '' : '; the fixed check decides';
  if (r.result.decision === 'non-inferior' && at) {
    const met = r.kind === 'error-rate' || r.kind === 'latency' ? 'certainly non-inferior' : 'certainly within the bound';
    return `${what}: ${met} after ${seconds(at.t)} (${nonInferiorWhy(r, at, bound)}; ${samplesPhrase(at.samples, r)})${intervalPhrase(r, at)}${tail}`;
  }
  const max = Math.max(1, ...r.points.map((p) => p.eValue));
  const over = last ? ` in ${seconds(last.t)}` : '';
  return `${what}: no certain regression${over} (e-value ${formatEValue(r.result.eValue)} < ${bound}, highest ${formatEValue(max)}; ${samplesPhrase(r.result.samples, r)})${intervalPhrase(r, last)}${tail}`;
}

/** The test's check: fails, critical, on a regression; passes otherwise (the SLO's own check judges the rest). */
export function sequentialCheck(r: TestRecord, stopped: boolean): CheckResult {
  const regression = r.result.decision === 'regression';
  const samples = r.result.samples.canary + r.result.samples.stable;
  const value = crossing(r)?.eValue ?? r.result.eValue;
  return {
    name: `${r.name}-sequential`,
    kind: SEQUENTIAL_CHECK_KIND,
    subject: r.kind === 'error-rate' || r.kind === 'latency' ? 'canary vs stable' : 'canary',
    value: Number.isFinite(value) ? value : Number.MAX_VALUE,
    threshold: 1 / r.alpha,
    comparator: 'max',
    samples,
    verdict: regression ? 'fail' : 'pass',
    ...(regression ? { critical: true } : {}),
    message: sequentialMessage(r, stopped),
  };
}

/** The test's trace for result.json. */
export function sequentialTrace(r: TestRecord): SequentialTrace {
  const at = crossing(r);
  const { result } = r;
  return {
    name: r.name,
    kind: r.kind,
    alpha: r.alpha,
    threshold: 1 / r.alpha,
    quantity: r.quantity,
    // The report draws the margin (canary against stable) or the SLO's bound (one version) beside the confidence sequence.
    ...(r.kind === 'error-rate' || r.kind === 'latency' ? { margin: r.margin } : { bound: r.margin }),
    decision: result.decision,
    ...(at ? { crossedAt: at.t, crossedAtSamples: { ...at.samples } } : {}),
    eValue: finite(result.eValue),
    points: thinPoints(r.points, result.crossedAtUpdate === undefined ? undefined : result.crossedAtUpdate - 1),
  };
}

/** JSON has no Infinity: an overflowing e-value is kept as the largest double. */
function finite(e: number): number {
  return Number.isFinite(e) ? e : Number.MAX_VALUE;
}

/** Every `⌈n / MAX_TRACE_POINTS⌉`-th look, the last one, and the look at index `keep`. */
export function thinPoints(points: readonly SequentialPoint[], keep: number | undefined, max = MAX_TRACE_POINTS): SequentialPoint[] {
  const stride = Math.max(1, Math.ceil(points.length / max));
  const out = points
    .filter((_, i) => i % stride === 0 || i === points.length - 1 || i === keep)
    .map((p) => ({ ...p, eValue: finite(p.eValue), ...(p.nonInferiorityEValue !== undefined ? { nonInferiorityEValue: finite(p.nonInferiorityEValue) } : {}) }));
  return out;
}
