/**
 * The data behind the report's charts, built from a RunResult (pure) and embedded in the page as
 * JSON. Columnar and rounded, so a one-hour run at one point per second and version stays small;
 * the page's script (chart-script.ts) derives error rates and the canary's share from the counts.
 */
import { FAULT_ABORT_VERSION, UNKNOWN_VERSION, versionLabel } from '../../analysis/subject.js';
import type { RunResult, StepResult, TimelinePoint } from '../../model/result.js';
import type { Experiment } from '../../experiment/schema.js';
import { routesEndedAt, trafficChanges } from './traffic-changes.js';

/** One version's series, aligned with {@link ChartData.x}. */
export interface VersionSeries {
  /** Version name, "mesh:fault-abort", "unknown" or "all". */
  name: string;
  /** How the charts name it ("answered by the mesh (fault abort)" for "mesh:fault-abort"). */
  label: string;
  /** "stable", "canary", "all" or "other". */
  role: 'stable' | 'canary' | 'all' | 'other';
  /** Requests in each window (0 when the version served none). */
  count: number[];
  /** Failed requests in each window. */
  errors: number[];
  /** Latency percentiles, ms (null: no latency in the window). */
  p50: (number | null)[];
  /** 95th percentile, ms. */
  p95: (number | null)[];
  /** 99th percentile, ms. */
  p99: (number | null)[];
}

/** A threshold line: an SLO drawn on the chart of the version it judges. */
export interface ChartLimit {
  /** Version the SLO judges ("all" for subject all). */
  version: string;
  /** "latency" (ms) or "error-rate" (fraction). */
  kind: 'latency' | 'error-rate';
  /** For latency: which percentile line it applies to. @default absent (error-rate limits) */
  percentile?: 'p50' | 'p95' | 'p99';
  /** The threshold. */
  value: number;
}

/** Everything the charts draw. Times are seconds since the run's start. */
export interface ChartData {
  /** x of every window (its start, or the step's start for a step's first, partial second), ascending. */
  x: number[];
  /** The run's length, s. */
  end: number;
  /** The configured canary weight at each x, percent; null where the experiment does not shift. */
  weight: (number | null)[];
  /** Name of the canary version, whose observed share is drawn beside its weight. */
  canary: string | null;
  /** Per-version series: stable, canary, the others, then "all". */
  versions: VersionSeries[];
  /** Step markers: 1-based number, start, end and label. */
  steps: { n: number; at: number; end: number; label: string }[];
  /** Faults, mirrors and A/B routes: shaded from `from` to `to` (null: never removed). */
  changes: { kind: string; label: string; from: number; to: number | null }[];
  /** The end of the experiment's routes: "restored" or "promoted". */
  marks: { at: number; label: string }[];
  /** SLO thresholds to draw. */
  limits: ChartLimit[];
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
const secs = (ms: number, start: number) => Math.round(ms - start) / 1000;

/** Each timeline point with its x: a window starting before its step is drawn at the step's start. */
function placed(steps: readonly StepResult[], start: number): { x: number; step: StepResult; p: TimelinePoint }[] {
  return steps.flatMap((step) => (step.timeline ?? []).map((p) => ({ x: secs(Math.max(p.time, step.startedAt), start), step, p })));
}

function roleOf(name: string, target: { stable?: string; canary?: string }): VersionSeries['role'] {
  if (name === 'all') return 'all';
  return name === target.stable ? 'stable' : name === target.canary ? 'canary' : 'other';
}

const ROLE_ORDER = { stable: 0, canary: 1, other: 2, all: 3 } as const;

/** SLO thresholds the charts can draw (latency p50/p95/p99 and error rates), by judged version. */
function limitsOf(spec: Partial<Experiment['spec']> | undefined): ChartLimit[] {
  const target = spec?.target;
  const versionOf = (subject: string) => (subject === 'canary' ? target?.canary : subject === 'stable' ? target?.stable : 'all');
  return (Array.isArray(spec?.slos) ? spec.slos : []).flatMap((slo): ChartLimit[] => {
    const version = versionOf(String(('subject' in slo ? slo.subject : undefined) ?? 'canary'));
    if (!version) return [];
    if (slo.kind === 'error-rate' && typeof slo.max === 'number') return [{ version, kind: 'error-rate', value: slo.max }];
    if (slo.kind === 'latency' && typeof slo.max === 'number' && ['p50', 'p95', 'p99'].includes(slo.percentile)) {
      return [{ version, kind: 'latency', percentile: slo.percentile as 'p50' | 'p95' | 'p99', value: slo.max }];
    }
    return [];
  });
}

/** Builds the chart data of a run. */
export function buildChartData(result: RunResult): ChartData {
  const start = result.startedAt;
  const spec = (result.experiment as Partial<Experiment> | null | undefined)?.spec;
  const target = { stable: spec?.target?.stable, canary: spec?.target?.canary };
  const points = placed(result.steps, start);
  const xs = [...new Set(points.map((q) => q.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const names = [...new Set(points.map((q) => q.p.version))];
  const series = new Map<string, VersionSeries>(
    names.map((name) => [name, { name, label: versionLabel(name), role: roleOf(name, target), count: xs.map(() => 0), errors: xs.map(() => 0), p50: xs.map(() => null), p95: xs.map(() => null), p99: xs.map(() => null) }]),
  );
  const weight: (number | null)[] = xs.map(() => null);
  for (const { x, step, p } of points) {
    const i = index.get(x)!;
    const s = series.get(p.version)!;
    s.count[i] = p.count;
    s.errors[i] = p.errors;
    s.p50[i] = round2(p.p50);
    s.p95[i] = round2(p.p95);
    s.p99[i] = round2(p.p99);
    weight[i] = step.canaryWeight;
  }
  // Within a role, subsets by name, then the mesh's fault aborts and "unknown" (no version header).
  const tail = (name: string) => [FAULT_ABORT_VERSION, UNKNOWN_VERSION].indexOf(name) + 1;
  const versions = [...series.values()].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || tail(a.name) - tail(b.name) || a.name.localeCompare(b.name));
  const changes = trafficChanges(result);
  const end = routesEndedAt(result);
  return {
    x: xs,
    end: secs(result.endedAt, start),
    weight,
    canary: target.canary ?? null,
    versions,
    steps: result.steps.map((s) => ({ n: s.index + 1, at: secs(s.startedAt, start), end: secs(s.endedAt, start), label: s.label })),
    changes: changes.map((c) => ({ kind: c.kind, label: c.label, from: secs(c.appliedAt, start), to: c.removedAt === null ? null : secs(c.removedAt, start) })),
    marks: end === undefined ? [] : [{ at: secs(end, start), label: result.outcome === 'promoted' ? 'promoted' : 'restored' }],
    limits: limitsOf(spec),
  };
}
