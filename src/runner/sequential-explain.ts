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
  /** Which test. */
  kind: 'error-rate' | 'latency';
  /** False-alarm bound. */
  alpha: number;
  /** Non-inferiority margin as written in the message: points (error rate) or an odds ratio (latency). */
  margin: number;
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

function samplesPhrase(s: { canary: number; stable: number }): string {
  return `${s.canary.toLocaleString('en-US')} canary / ${s.stable.toLocaleString('en-US')} stable requests`;
}

function intervalPhrase(r: TestRecord, p: Pick<SequentialPoint, 'lower' | 'upper'> | undefined): string {
  if (p?.lower === undefined || p.upper === undefined) return '';
  const f = r.kind === 'error-rate' ? formatPoints : (v: number) => Number(v.toPrecision(3)).toString();
  return `; CS for ${r.quantity}: [${f(p.lower)}, ${f(p.upper)}]`;
}

/** The one-line explanation of a test's decision (`stopped`: whether the step ended on it). */
export function sequentialMessage(r: TestRecord, stopped: boolean): string {
  const what = r.kind === 'error-rate' ? 'canary vs stable error rate' : 'canary vs stable latency';
  const bound = `${formatEValue(1 / r.alpha)} = 1/α`;
  const at = crossing(r);
  const last = r.points.at(-1);
  if (r.result.decision === 'regression' && at) {
    return `${what}: certain regression after ${seconds(at.t)} (e-value ${formatEValue(at.eValue)} ≥ ${bound}; ${samplesPhrase(at.samples)})${intervalPhrase(r, at)}`;
  }
  const tail = stopped ? '' : '; the fixed check decides';
  if (r.result.decision === 'non-inferior' && at) {
    const why =
      r.kind === 'error-rate'
        ? `CS below the ${formatPoints(r.margin)} margin`
        : `e-value ${formatEValue(at.nonInferiorityEValue ?? 0)} ≥ ${bound} against odds ×${r.margin} of being slower, at every cut`;
    return `${what}: certainly non-inferior after ${seconds(at.t)} (${why}; ${samplesPhrase(at.samples)})${intervalPhrase(r, at)}${tail}`;
  }
  const max = Math.max(1, ...r.points.map((p) => p.eValue));
  const over = last ? ` in ${seconds(last.t)}` : '';
  return `${what}: no certain regression${over} (e-value ${formatEValue(r.result.eValue)} < ${bound}, highest ${formatEValue(max)}; ${samplesPhrase(r.result.samples)})${intervalPhrase(r, last)}${tail}`;
}

/** The test's check: fails, critical, on a regression; passes otherwise (the SLO's own check judges the rest). */
export function sequentialCheck(r: TestRecord, stopped: boolean): CheckResult {
  const regression = r.result.decision === 'regression';
  const value = crossing(r)?.eValue ?? r.result.eValue;
  return {
    name: `${r.name}-sequential`,
    kind: SEQUENTIAL_CHECK_KIND,
    subject: 'canary vs stable',
    value: Number.isFinite(value) ? value : Number.MAX_VALUE,
    threshold: 1 / r.alpha,
    comparator: 'max',
    samples: r.result.samples.canary + r.result.samples.stable,
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
