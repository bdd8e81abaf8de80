/**
 * The data behind the report's sequential-analysis charts (one entry per test of each step's
 * `sequential[]`), built from a RunResult (pure) and embedded in the page as JSON beside the
 * other charts' data. Values are rounded and e-values clamped for the log scale (JSON has no
 * Infinity, and a 10^300 e-value would squash the plot); the captions and tables print the real
 * numbers. A trace longer than {@link MAX_PLOTTED} looks is thinned evenly, keeping its first and
 * last looks and the crossing.
 */
import type { RunResult, SequentialTrace, StepResult } from '../../model/result.js';
import { boundStyle, crossingPoint, formatBound, formatStepTime, type BoundStyle } from '../sequential-text.js';

/** Most looks drawn per test (the schema promises about 1,200; a hand-edited file may hold more). */
export const MAX_PLOTTED = 1500;
/** E-values are drawn within [E_FLOOR, E_CAP]: a log axis cannot show 0, nor 10^300 usefully. */
export const E_FLOOR = 1e-6;
/** See {@link E_FLOOR}. */
export const E_CAP = 1e12;

/** One test's charts. Times are seconds since the step's load started. */
export interface SequentialChart {
  /** Element id prefix: the boxes are `<id>-cs` and `<id>-e`. */
  id: string;
  /** The test's name and kind. */
  name: string;
  /** SLO kind it tests. */
  kind: string;
  /** What the confidence sequence bounds. */
  quantity: string | null;
  /** Time of each look drawn. */
  t: number[];
  /** E-value per look, clamped to [E_FLOOR, E_CAP]. */
  e: number[];
  /** When some e-value was clamped: the real ones (4 significant digits), for the legend; else null. */
  eReal: number[] | null;
  /** Non-inferiority e-value per look (clamped), or null when the test has none. */
  ni: (number | null)[] | null;
  /** Confidence-sequence bounds per look, or null when no look has them. */
  lower: (number | null)[] | null;
  /** See `lower`. */
  upper: (number | null)[] | null;
  /** 1/α. */
  threshold: number;
  /** How the band's values read (the page formats its axis and legend so). */
  style: BoundStyle;
  /** The reference line: no difference (0), or an absolute SLO's bound. */
  reference: { value: number; label: string };
  /** Non-inferiority margin in the units of `quantity`, when the trace has one. */
  margin: number | null;
  /** When the decision was reached, and the (clamped) e-value drawn there; null when not reached. */
  crossing: { t: number; e: number; label: string } | null;
  /** The x axis' end: the step's length or the last look, whichever is later, s. */
  end: number;
  /** Whether any drawn e-value was clamped (the chart says so). */
  clamped: boolean;
}

const sig = (n: number, digits: number) => Number(n.toPrecision(digits));
const clampE = (e: number) => sig(Math.min(E_CAP, Math.max(E_FLOOR, Number.isFinite(e) ? e : E_CAP)), 4);

/** Indices of the looks to draw: all of them, or an even thinning keeping first, last and the crossing. */
export function plottedIndices(count: number, keep: number | undefined, max = MAX_PLOTTED): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const picked = new Set<number>();
  const slots = keep === undefined ? max : max - 1;
  for (let k = 0; k < slots; k++) picked.add(Math.round((k * (count - 1)) / (slots - 1)));
  if (keep !== undefined) picked.add(keep);
  return [...picked].sort((a, b) => a - b);
}

function chartOf(step: StepResult, trace: SequentialTrace, i: number): SequentialChart {
  const at = crossingPoint(trace);
  const crossIndex = at ? trace.points.indexOf(at) : undefined;
  const points = plottedIndices(trace.points.length, crossIndex).map((k) => trace.points[k]!);
  const hasBand = points.some((p) => p.lower !== undefined || p.upper !== undefined);
  const hasNi = points.some((p) => p.nonInferiorityEValue !== undefined);
  const clamped = trace.points.some((p) => !(p.eValue >= E_FLOOR && p.eValue <= E_CAP) || (p.nonInferiorityEValue !== undefined && !(p.nonInferiorityEValue >= E_FLOOR && p.nonInferiorityEValue <= E_CAP)));
  const last = points.length ? points[points.length - 1]!.t : 0;
  const crossE = trace.decision === 'non-inferior' && at?.nonInferiorityEValue !== undefined ? at.nonInferiorityEValue : at?.eValue;
  return {
    id: `seq-${step.index + 1}-${i + 1}`,
    name: trace.name,
    kind: trace.kind,
    quantity: trace.quantity ?? null,
    t: points.map((p) => sig(p.t, 6)),
    e: points.map((p) => clampE(p.eValue)),
    eReal: clamped ? points.map((p) => sig(p.eValue, 4)) : null,
    ni: hasNi ? points.map((p) => (p.nonInferiorityEValue === undefined ? null : clampE(p.nonInferiorityEValue))) : null,
    lower: hasBand ? points.map((p) => (p.lower === undefined ? null : sig(p.lower, 4))) : null,
    upper: hasBand ? points.map((p) => (p.upper === undefined ? null : sig(p.upper, 4))) : null,
    threshold: trace.threshold,
    style: boundStyle(trace),
    reference: trace.bound === undefined ? { value: 0, label: 'no difference' } : { value: trace.bound, label: `SLO bound ${formatBound(trace, trace.bound)}` },
    margin: trace.margin ?? null,
    crossing: trace.crossedAt === undefined || trace.decision === 'continue' ? null : { t: trace.crossedAt, e: clampE(crossE ?? trace.eValue), label: `${trace.decision === 'regression' ? 'regression' : 'non-inferior'} at ${formatStepTime(trace.crossedAt)}` },
    end: Math.max(last, (step.endedAt - step.startedAt) / 1000, 1),
    clamped,
  };
}

/** The charts of every step's sequential tests, in step then test order ([] when none has any). */
export function buildSequentialCharts(result: Pick<RunResult, 'steps'>): SequentialChart[] {
  return result.steps.flatMap((step) => (step.sequential ?? []).map((trace, i) => chartOf(step, trace, i)));
}
