/**
 * Options and outputs of the runner, and the small progress interface it reports to (the CLI's
 * live view implements it; tests pass a recorder).
 */
import type { ManifestSet } from '../istio/manifests.js';
import type { LocalMesh, LocalMeshOptions } from '../mesh/types.js';
import type { Experiment } from '../spec/schema.js';
import type { LoadGeneratorRegistry } from '../load/registry.js';
import type { TrafficRegistry } from '../traffic/registry.js';
import type { RunResult } from './result.js';
import type { AaOptions } from './aa-mode.js';

/** A validated experiment ready to run (what `loadExperimentFile` returns). */
export interface RunnableExperiment {
  /** The parsed, defaulted experiment. */
  experiment: Experiment;
  /** Path of the experiment file. */
  file: string;
  /** Directory of the experiment file: manifests and backend commands resolve against it. */
  dir: string;
  /** The manifests of `local.manifests`, when loaded. @default loaded by the runner for provider local */
  manifests?: ManifestSet;
  /** The experiment file's text as written, kept in result.json for the report. @default absent (the report shows the parsed experiment) */
  source?: string;
}

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
  /** Figures per version so far in the step (including "all"). */
  perVersion: VersionProgress[];
}

/** Receives live progress and the run's events. */
export interface ProgressSink {
  /** Called about 4 times a second while a step runs. */
  update(progress: RunProgress): void;
  /** A traffic change or decision, in plain words. */
  event(message: string): void;
  /** The run is over (before the summary is printed). */
  done(): void;
}

/** Options of the runner. */
export interface RunOptions {
  /** Write the run directory exactly here. @default `<cwd>/reports/<name>-<UTC YYYYMMDD-HHMMSS>` */
  reportDir?: string;
  /** Live progress; without one, events are logged as info lines. */
  progress?: ProgressSink;
  /** Report formats written. @default the report module's defaults (json, html, markdown) */
  reports?: readonly string[];
  /** Where the cluster is (provider istio): `--kubeconfig` and `--context`. @default kubectl's lookup ($KUBECONFIG, ~/.kube/config, in-cluster) */
  kube?: { kubeconfig?: string; context?: string };
  /** Traffic providers. @default the built-in registry (local) */
  trafficRegistry?: TrafficRegistry;
  /** Load generators. @default the built-in registry (builtin) */
  loadRegistry?: LoadGeneratorRegistry;
  /** Starts the local mesh (tests wrap it to observe the mesh). @default createLocalMesh */
  createMesh?: (options: LocalMeshOptions) => Promise<LocalMesh>;
  /** Interval of progress updates, ms. @default 250 */
  progressIntervalMs?: number;
  /** Run in A/A mode (the stable against itself) instead of the experiment's plan. @default off */
  aa?: AaOptions;
}

/** What a run produced besides its result. */
export interface RunOutput {
  /** The result (also written as result.json). */
  result: RunResult;
  /** Absolute path of the run directory. */
  runDir: string;
  /** Absolute path of the journal. */
  journalPath: string;
  /** Report files written. */
  reportFiles: string[];
}
