/**
 * Options and outputs of the runner, and the small progress interface it reports to (the CLI's
 * live view implements it; tests pass a recorder).
 */
import type { ManifestSet } from '../istio/manifests.js';
import type { LocalMesh, LocalMeshOptions } from '../mesh/types.js';
import type { Experiment } from '../experiment/schema.js';
import type { LoadGeneratorRegistry } from '../load/registry.js';
import type { TrafficRegistry } from '../traffic/registry.js';
import type { RunResult } from '../model/result.js';
import type { AaOptions } from './aa-mode.js';
import type { ProgressSink } from '../model/progress.js';
import type { Scenario } from '../experiment/scenario.js';

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
  /** The load's requests and data rows, checked. @default read and checked by the runner when load.requests or load.data is set */
  scenario?: Scenario;
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
  /** The game day this run is part of (name, and its directory, absolute or relative to the cwd), recorded in the run history. @default none */
  gameDay?: { name: string; dir: string };
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
