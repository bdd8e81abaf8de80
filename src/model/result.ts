/**
 * The result of a run: what the runner produces, what reports render and what result.json holds.
 * Every decision is explained: each check keeps value, threshold, samples, window and verdict.
 */
import type { TimelinePoint } from './timeline.js';
import type { AaFigures } from './aa-figures.js';

export type { TimelinePoint };

/** Latency and error statistics of one version over one window. */
export interface VersionStats {
  /** Version (subset) that served the requests, or "all", or "unknown" when no version header came back. */
  version: string;
  /** Requests counted (responses + failures). */
  count: number;
  /** Requests that failed (status >= 500, or no response). */
  errors: number;
  /** errors / count, or null when count is 0. */
  errorRate: number | null;
  /** Latency percentiles in ms (null when count is 0). */
  latency: { p50: number | null; p90: number | null; p95: number | null; p99: number | null; 'p99.9': number | null; max: number | null; mean: number | null };
  /** Achieved requests per second over the window. */
  rps: number;
}

/** pass / fail / no-data ("no data" is its own verdict, never a pass). */
export type Verdict = 'pass' | 'fail' | 'no-data';

/** One SLO judged over one window. */
export interface CheckResult {
  /** SLO name (from the spec, or derived like "canary latency p99"). */
  name: string;
  /** SLO kind, e.g. "latency", "error-rate". */
  kind: string;
  /** Whose responses were judged. */
  subject: string;
  /** Measured value (ms for latency, fraction for error rate); null when there was no data. */
  value: number | null;
  /** The limit it was judged against (same unit as value). */
  threshold: number;
  /** "max" (value must be <= threshold) or "min". */
  comparator: 'max' | 'min';
  /** Samples the value is based on. */
  samples: number;
  /** Verdict. */
  verdict: Verdict;
  /** One line in plain words, e.g. "canary p99 412ms > 250ms over 512 requests". */
  message: string;
  /**
   * Confidence interval of `value` (relative SLOs: of the canary − stable shift or difference),
   * same unit as value. @default absent (threshold SLOs judge a point value)
   */
  interval?: CheckInterval;
  /**
   * A failed critical check rolls back at once, whatever `analysis.threshold` says (relative SLOs
   * beyond their criticalIncrease, early-abort conditions). @default false
   */
  critical?: boolean;
}

/** A confidence interval, as relative SLOs report it. */
export interface CheckInterval {
  /** Lower bound. */
  low: number;
  /** Upper bound. */
  high: number;
  /** Confidence level, e.g. 0.98. */
  confidence: number;
}

/** Prometheus's (mesh-side) view of one version over a step, from Flagger's built-in queries. */
export interface MeshView {
  /** Subset. */
  version: string;
  /** request-success-rate, percent 0–100; null when there was no data. */
  successRatePercent: number | null;
  /** request-duration (p99 from Istio's histogram buckets), ms; null when there was no data. */
  p99Ms: number | null;
}

/**
 * The mirrored (shadow) copies of a step, as the mesh counted them: the client never sees their
 * responses, so the load generator has nothing on them. Latencies are interpolated within Istio's
 * histogram buckets (as Prometheus's histogram_quantile does).
 */
export interface MirroredStats {
  /** Subset the copies went to. */
  version: string;
  /** Who measured them: the local mesh's own counters of mirrored copies. */
  measuredBy: 'mesh';
  /** Copies sent during the step. */
  count: number;
  /** Copies that failed: status >= 500 or no response. */
  errors: number;
  /** errors / count, 0–1; null when count is 0. */
  errorRate: number | null;
  /** Latency percentiles of the copies, ms; null when there was none. */
  latency: { p50: number | null; p95: number | null; p99: number | null };
}

/** What the runner decided after a step. */
export type StepDecision = 'continue' | 'promote' | 'rollback' | 'complete';

/** One step of the run. */
export interface StepResult {
  /** 0-based index. */
  index: number;
  /** Canary weight in effect (null when the experiment does not shift). */
  canaryWeight: number | null;
  /** Human label, e.g. "canary 25%" or "fault delay 2s on 50%". */
  label: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms. */
  endedAt: number;
  /** Stats per version (plus "all"). */
  stats: VersionStats[];
  /** Per-second figures per version over the step (report charts). @default [] */
  timeline: TimelinePoint[];
  /** Prometheus's view per version (stable, canary), when spec.metrics.prometheus is set. */
  meshView?: MeshView[];
  /** The step's mirrored traffic, when it mirrored and the local mesh could count the copies. */
  mirrored?: MirroredStats;
  /** Checks judged at the end of the step. */
  checks: CheckResult[];
  /** Failed checks so far in the run (cumulative, compared with analysis.threshold). */
  failedChecksTotal: number;
  /** What happened next. */
  decision: StepDecision;
  /** The step was stopped early by an analysis.abortWhen condition (its check comes first). @default false */
  abortedEarly?: boolean;
}

/** Final outcome. */
export type Outcome = 'promoted' | 'passed' | 'rolled-back' | 'error' | 'interrupted';

/** Everything about one run. */
export interface RunResult {
  /** Format version of this object. */
  schemaVersion: 1;
  /** Experiment name. */
  name: string;
  /** Outcome. */
  outcome: Outcome;
  /** One sentence: the verdict and why (e.g. which check failed at which step and by how much). */
  summary: string;
  /** Exit code the CLI returns. */
  exitCode: number;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms. */
  endedAt: number;
  /** Steps in order. */
  steps: StepResult[];
  /** Whether the mesh was restored to its original state at the end (true also when promotion was intended). */
  restored: boolean;
  /** Error message when outcome is "error". */
  error?: string;
  /** The experiment as run (parsed, with defaults). */
  experiment: unknown;
  /**
   * The experiment file's text as the user wrote it (units like `5s` and `1%` as written,
   * comments kept). @default absent (runs written before it, or experiments not read from a file)
   */
  experimentSource?: string;
  /** Environment: tool version, node version, provider, generator. */
  environment: Record<string, string>;
  /** A/A mode's false-alarm figures (present only for `run --aa`). @default absent */
  aa?: AaFigures;
  /** Timeline of traffic changes (epoch ms, description) for the report. */
  events: { time: number; message: string }[];
}
