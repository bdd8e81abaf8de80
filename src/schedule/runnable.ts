/**
 * What `mesh-exp schedule` can schedule, and the few things it asks of it: the files the run reads,
 * the providers (and distributed load) it uses, how long it is planned to take, and the command
 * that runs it. This is the ONE place that knows the kinds of runnable file: an Experiment, and a
 * GameDay, which asks the same of each of its experiments (defaults filled in) and puts them together.
 */
import path from 'node:path';
import { manifestFiles } from '../istio/manifests.js';
import { planSteps } from '../experiment/step-plan.js';
import type { LoadedGameDay } from '../experiment/gameday-validate.js';
import type { NotifyTargetSpec } from '../experiment/notify-schema.js';
import type { LoadedExperiment } from '../experiment/validate.js';

/** A file that can be scheduled. */
export type Runnable = { kind: 'Experiment'; loaded: LoadedExperiment } | { kind: 'GameDay'; loaded: LoadedGameDay };

/**
 * Time a game day's deadline gives each experiment after the first for what its plan does not hold
 * (preflight, restore, reports), ms: {@link deadlineSeconds}'s ten minutes are the first's.
 */
export const GAMEDAY_EXPERIMENT_MARGIN_MS = 60_000;

/** Each experiment of a game day, as a runnable of its own (its defaults filled in). */
function experimentsOf(day: LoadedGameDay): Array<{ kind: 'Experiment'; loaded: LoadedExperiment }> {
  return day.experiments.map((e) => ({ kind: 'Experiment', loaded: e.loaded }));
}

/** A file a run reads: where it is, and how the file that names it wrote it. */
export interface FileRef {
  /** Absolute path. */
  abs: string;
  /** As written in the file that names it (relative to that file), or the runnable's own path. */
  written: string;
  /** Who names it, for messages, e.g. "spec.load.data.file". */
  field: string;
}

/** One use of a traffic provider by a run: what it needs RBAC (and the pod's network) for. */
export interface ProviderUse {
  /** The runnable's name (metadata.name), for messages. */
  experiment: string;
  /** target.provider. */
  provider: string;
  /** target.namespace: the provider's own rules apply there. */
  namespace: string;
  /** spec.local.attach: the running mesh the provider reaches instead. @default absent */
  attach?: string;
  /** load.distributed: its generator and the namespace its objects are created in. @default absent */
  distributed?: { generator: string; namespace: string };
}

/** The runnable's name (metadata.name): the scheduled objects are named after it. */
export function nameOf(r: Runnable): string {
  if (r.kind === 'GameDay') return r.loaded.gameDay.metadata.name;
  return r.loaded.experiment.metadata.name;
}

/** The runnable's own file first, then every file it reads (manifests, data, bodies, scripts), each once. */
export async function filesOf(r: Runnable): Promise<FileRef[]> {
  if (r.kind === 'GameDay') return gameDayFilesOf(r.loaded);
  const { experiment, file, dir } = r.loaded;
  const { load, local } = experiment.spec;
  const refs: FileRef[] = [{ abs: file, written: path.basename(file), field: 'the experiment file' }];
  const add = (written: string, field: string) => refs.push({ abs: path.resolve(dir, written), written, field });
  for (const [i, m] of (local?.attach === undefined ? (local?.manifests ?? []) : []).entries()) {
    // A directory is mounted as the files the reader takes from it.
    const files = await manifestFiles([m], dir);
    for (const abs of files) refs.push({ abs, written: path.isAbsolute(m) ? abs : path.relative(dir, abs), field: `spec.local.manifests[${i}]` });
  }
  if (load.script !== undefined) add(load.script, 'spec.load.script');
  if (load.data) add(load.data.file, 'spec.load.data.file');
  for (const [i, req] of (load.requests ?? []).entries()) if (req.bodyFile !== undefined) add(req.bodyFile, `spec.load.requests[${i}].bodyFile`);
  const seen = new Set<string>();
  return refs.filter((f) => !seen.has(f.abs) && seen.add(f.abs));
}

/** One `spec.notify` target's secret reference: what the scheduled pod must be given (never the secret itself). */
export interface NotifyRef {
  /** Where the URL comes from, as the file writes it. */
  urlFrom: NotifyTargetSpec['urlFrom'];
  /** Absolute directory a relative `urlFrom.file` resolves against (the directory of the file that names it). */
  dir: string;
  /** Who names it, for messages, e.g. "spec.notify[0]". */
  field: string;
}

/** The secret references of every notify target the run has (none: no Secret is wired into the pod). */
export function notifyTargetsOf(r: Runnable): NotifyRef[] {
  // A game day notifies its own start, decisions and verdict (its spec.notify), and its experiments
  // each notify as they run (their own spec.notify): the pod needs the secrets of both.
  if (r.kind === 'GameDay') {
    const own = (r.loaded.gameDay.spec.notify ?? []).map((t, i) => ({ urlFrom: t.urlFrom, dir: path.dirname(r.loaded.file), field: `spec.notify[${i}]` }));
    return [...own, ...r.loaded.experiments.flatMap((e) => notifyTargetsOf({ kind: 'Experiment', loaded: e.loaded }).map((n) => ({ ...n, field: `spec.experiments[${e.index}] (${e.source}): ${n.field}` })))];
  }
  const { experiment, dir } = r.loaded;
  return (experiment.spec.notify ?? []).map((t, i) => ({ urlFrom: t.urlFrom, dir, field: `spec.notify[${i}]` }));
}

/** The traffic providers the run uses, with their namespaces and distributed load. */
export function providersOf(r: Runnable): ProviderUse[] {
  if (r.kind === 'GameDay') return experimentsOf(r.loaded).flatMap(providersOf);
  const { metadata, spec } = r.loaded.experiment;
  const { target, load, local } = spec;
  const distributed = load.distributed ? { generator: load.generator, namespace: load.distributed.namespace ?? target.namespace } : undefined;
  return [{ experiment: metadata.name, provider: target.provider, namespace: target.namespace, ...(local?.attach !== undefined ? { attach: local.attach } : {}), ...(distributed ? { distributed } : {}) }];
}

/**
 * How long the run is planned to take, ms: every step's window (or its load, when longer) and Prometheus'
 * settle wait; a game day's is the sum of its experiments', plus {@link GAMEDAY_EXPERIMENT_MARGIN_MS} for each after the first.
 */
export function plannedMsOf(r: Runnable): number {
  if (r.kind === 'GameDay') {
    const each = experimentsOf(r.loaded).map(plannedMsOf);
    return each.reduce((sum, ms) => sum + ms, 0) + (each.length - 1) * GAMEDAY_EXPERIMENT_MARGIN_MS;
  }
  const { experiment } = r.loaded;
  const settle = experiment.spec.metrics?.prometheus?.settle ?? 0;
  return planSteps(experiment).steps.reduce((sum, s) => sum + Math.max(s.durationMs, s.loadDurationMs) + settle, 0);
}

/** What the user should know about running it in a pod (printed as notes), e.g. programs the image must hold. */
export function podNotesOf(r: Runnable): string[] {
  if (r.kind === 'GameDay') return [...new Set(experimentsOf(r.loaded).flatMap(podNotesOf))];
  const backends = r.loaded.experiment.spec.local?.backends ?? [];
  return backends.some((b) => b.command) ? ['command backends run in the pod: their programs must be in the image'] : [];
}

/** The mesh-exp arguments that run it, given its file's path as the pod sees it; `json` prints result.json to the log. */
export function commandOf(file: string, options: { json: boolean }): string[] {
  // `run` tells an Experiment from a GameDay by its kind line: both run with it.
  return ['run', file, '--no-progress', ...(options.json ? ['--output', 'json'] : [])];
}

/**
 * A game day's files: the game-day file, then each experiment's in order — an experiment file named
 * by a path entry (written as the entry wrote it, relative to the game-day file) and the files it
 * reads (relative to it), an inline experiment's files (relative to the game-day file) — each once.
 */
async function gameDayFilesOf(day: LoadedGameDay): Promise<FileRef[]> {
  const refs: FileRef[] = [{ abs: day.file, written: path.basename(day.file), field: 'the game-day file' }];
  for (const e of day.experiments) {
    const entry = `spec.experiments[${e.index}]`;
    const [own, ...read] = await filesOf({ kind: 'Experiment', loaded: e.loaded });
    // An inline experiment's "own file" is the game-day file, already first.
    if (e.loaded.file !== day.file) refs.push({ abs: own!.abs, written: e.source, field: `${entry}.path` });
    // Its files are named by the experiment (a path entry's file, or the game day's inline entry).
    refs.push(...read.map((f) => ({ ...f, field: `${entry} (${e.source}): ${f.field}` })));
  }
  const seen = new Set<string>();
  return refs.filter((f) => !seen.has(f.abs) && seen.add(f.abs));
}
