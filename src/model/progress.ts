/**
 * Live progress of a run: what the runner reports about 4 times a second while a step runs, and
 * the sink it reports to (the CLI's progress views implement it).
 */

/** Figures of one version so far in the running step. */
export interface VersionProgress {
  /** Version (subset), "unknown" or "all". */
  version: string;
  /** Requests counted so far in the step. */
  count: number;
  /** Failed share of them (0–1), or null when count is 0. */
  errorRate: number | null;
  /** 99th percentile latency so far, ms, or null when none was recorded. */
  p99: number | null;
}

/** What the live view shows, about 4 times a second (the shape the CLI's progress view takes). */
export interface RunProgress {
  /** 0-based index of the running step. */
  stepIndex: number;
  /** Number of steps planned. */
  stepCount: number;
  /** Label of the running step, e.g. "canary 25%". */
  label: string;
  /** Time since the step started, ms. */
  elapsedMs: number;
  /** Planned length of the step, ms. */
  stepDurationMs: number;
  /** Achieved request rate so far in the step, requests per second. */
  rate: number;
  /** The arrival rate the load aims at right now (a ramping `load.stages`), requests per second. @default absent: a constant rate */
  targetRate?: number;
  /**
   * The load runs in the cluster (`load.distributed`): no request passes through this process, so
   * there is no achieved rate or per-version figure to show (Prometheus judges the step at its end).
   * @default absent: the load runs here
   */
  inCluster?: { pods: number; rate: number };
  /** Figures per version so far in the step (including "all"). */
  perVersion: VersionProgress[];
}

/** Receives live progress and the run's events (the CLI's views: calls after `done` are ignored). */
export interface ProgressSink {
  /** Called about 4 times a second while a step runs (a view may draw only some of them). */
  update(progress: RunProgress): void;
  /** A traffic change or decision, in plain words: always shown. */
  event(message: string): void;
  /** The run is over (before the summary is printed): a view draws what it held back and stops. */
  done(): void;
}
