/**
 * `mesh-exp recover`: finishing what a crashed run (SIGKILL, power loss) left undone, from its
 * run directory alone. First the backend processes the journal says may still run are stopped
 * (`recover-children.ts`: a pid is signalled only while it has its journaled start time). Then a
 * pending restore is done through the provider the journal names, at the endpoint it records, and
 * verified (the object read back deep-equals the journal's original) before `restore-done` is
 * journaled. A journal whose mesh ran in-process is marked recovered once its processes are
 * stopped: that mesh died with the process. A promoted run that never removed its ownership mark
 * gets it removed. Last, the steps that finished before the crash (steps.jsonl) become a partial
 * report (`partial-report.ts`), unless the run wrote its own. Everything is idempotent: run it
 * twice and the second says there is nothing to recover.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Context } from '../context.js';
import { RuntimeError } from '../errors.js';
import { createDefaultTrafficRegistry, type ProviderDeps, type TrafficProviderEntry, type TrafficRegistry } from '../traffic/registry.js';
import type { TargetFields } from '../traffic/target-object.js';
import type { TrafficProvider } from '../traffic/types.js';
import { findUnrecovered, namedRun, type FoundRun } from './find-runs.js';
import { createJournal, pendingRelease, pendingRestore, snapshotOf, type Journal, type JournalEntry, type JournalTarget } from './journal.js';
import { writePartialReport, type PartialReport } from './partial-report.js';
import { liveRunProcess, stopJournaledChildren, type ChildOutcome } from './recover-children.js';
import { deleteJournaledObjects, journaledCluster, type ClusterObjectOutcome } from './recover-cluster-objects.js';
import { shownDir } from './refusal.js';
import { restoreMesh } from './restore.js';
import { describeTarget } from '../traffic/target-object.js';
import { recordRunInHistory } from '../history/record-run.js';

/** How a recover ended: what it did to the mesh ("recovered": nothing there, but processes stopped or a report written). */
export type RecoverStatus = 'restored' | 'released' | 'in-process' | 'recovered' | 'nothing-to-recover';

/** What {@link recoverRun} did. */
export interface RecoverResult {
  /** What happened. */
  status: RecoverStatus;
  /** The run directory acted on, when one was found. */
  runDir?: string;
  /** One sentence for the user. */
  message: string;
  /** What was done to each backend process the journal named. @default [] */
  children?: ChildOutcome[];
  /** The partial report of the finished steps, when one was written or could not be. @default absent */
  report?: PartialReport;
  /** What was done to each cluster object (distributed load) the journal named. @default [] */
  clusterObjects?: ClusterObjectOutcome[];
}

/** Options of {@link recoverRun}. */
export interface RecoverOptions {
  /** The run directory (or its journal.jsonl). @default the newest unrecovered one under `reportDir` */
  runDir?: string;
  /** Where run directories are looked for (or a run directory itself). @default "reports" (relative to ctx.cwd) */
  reportDir?: string;
  /** Traffic providers. @default the built-in registry */
  trafficRegistry?: TrafficRegistry;
  /** Where the cluster is, for runs of provider istio: `--kubeconfig`, `--context`. @default kubectl's lookup */
  kube?: { kubeconfig?: string; context?: string };
  /** The game day the run was part of (`mesh-exp recover <game-day dir>`), recorded in the run history. @default none */
  gameDay?: { name: string; dir: string };
}

const iso = (t: number) => new Date(t).toISOString();

/** The last thing the crashed run journaled, in words. */
function lastStep(entries: readonly JournalEntry[]): string {
  const last = entries.at(-1)!;
  const what = last.type === 'apply' ? `apply ${last.step === 'promote' ? 'the promotion' : `step ${last.step + 1}`}` : last.type;
  return `${what} at ${iso(last.time)}`;
}

/** Finds the run directory to recover; undefined when there is none. */
async function pickRun(ctx: Context, options: RecoverOptions): Promise<FoundRun | undefined> {
  if (options.runDir !== undefined) return namedRun(options.runDir, ctx.cwd);
  const reportDir = path.resolve(ctx.cwd, options.reportDir ?? 'reports');
  const runs = await findUnrecovered({
    reportDir,
    onSkip: (dir, err) => ctx.logger.warn(`skipping ${shownDir(dir, ctx.cwd)}: ${(err as Error).message}`),
  });
  if (runs.length > 1) {
    ctx.logger.warn(`${runs.length - 1} older unrecovered run director${runs.length > 2 ? 'ies' : 'y'} (recover each by name): ${runs.slice(1).map((r) => shownDir(r.dir, ctx.cwd)).join(', ')}`);
  }
  return runs[0];
}

/** Stops the run's processes, restores (or releases) what its journal says, reports its finished steps; see the module comment. */
export async function recoverRun(ctx: Context, options: RecoverOptions = {}): Promise<RecoverResult> {
  const run = await pickRun(ctx, options);
  if (!run) return { status: 'nothing-to-recover', message: `nothing to recover: no run directory under ${options.reportDir ?? 'reports'} has an unrecovered journal` };
  ctx.logger.info(`recover: reading ${shownDir(run.journal, ctx.cwd)} (${run.entries.length} entries; the last: ${run.entries.length ? lastStep(run.entries) : 'none'})`);
  const live = await liveRunProcess(run.entries);
  if (live !== undefined) {
    throw new RuntimeError(`the run of ${shownDir(run.dir, ctx.cwd)} is still running (pid ${live}): recover is for runs that died`, {
      hint: `stop it with Ctrl-C (or \`kill -INT ${live}\`): it restores the mesh and stops its backends itself; nothing was done`,
    });
  }
  const journal = createJournal({ dir: run.dir, now: () => ctx.clock.now() });
  // The processes first: an in-process run is marked recovered only once they are stopped.
  const children = await stopJournaledChildren(run.entries, { journal, logger: ctx.logger });
  // The load next: distributed load pods must not go on sending while the mesh is restored.
  const endpoint = snapshotOf(run.entries)?.endpoint;
  let objectsError: unknown;
  const clusterObjects = await deleteJournaledObjects(run.entries, {
    journal,
    logger: ctx.logger,
    objects: () => journaledCluster({ ...options.kube, env: ctx.env, cwd: ctx.cwd }, endpoint),
  }).catch((err: unknown) => {
    // The mesh still gets restored; the failure is reported once that is done.
    objectsError = err;
    return [];
  });
  const report = (restored: boolean, meshSentence: string, error?: string) =>
    writePartialReport({ runDir: run.dir, entries: run.entries, now: ctx.clock.now(), restored, meshSentence, ...(error !== undefined ? { error } : {}) }).then(async (written) => {
      // The run recover finishes joins the history (partial: steps.jsonl keeps no latency distribution).
      if (written.status === 'written') await recordRunInHistory({ result: written.result, runDir: run.dir, ...(options.gameDay ? { gameDay: options.gameDay } : {}) }, ctx.logger);
      return written;
    }).catch((err: unknown): PartialReport => {
      // The measurements must not stand in the way of the mesh: say why, and go on.
      ctx.logger.warn(`recover: no partial report: ${(err as Error).message}`);
      return { status: 'no-steps', reason: `the step log cannot be read: ${(err as Error).message}` };
    });
  let mesh: RecoverResult;
  try {
    mesh = await recoverMesh(ctx, options, run, journal);
  } catch (err) {
    await report(false, 'The mesh could not be restored: see journal.jsonl.', (err as Error).message);
    throw err;
  }
  const written = await report(true, meshSentence(mesh));
  if (objectsError !== undefined) {
    throw new RuntimeError(`${meshSentence(mesh)} But the run's distributed load objects could not be deleted: ${(objectsError as Error).message}`, {
      cause: objectsError,
      hint: `fix the access to the cluster (--kubeconfig, --context), then run \`mesh-exp recover ${shownDir(run.dir, ctx.cwd)}\` again: it deletes what is left`,
    });
  }
  const acted = children.some((c) => c.status === 'stopped') || clusterObjects.some((o) => o.status === 'deleted') || written.status === 'written';
  return { ...mesh, ...(mesh.status === 'nothing-to-recover' && acted ? { status: 'recovered' as const } : {}), children, clusterObjects, report: written };
}

/** The mesh part of a recover's message, as a sentence for the partial report's summary. */
function meshSentence(mesh: RecoverResult): string {
  const text = mesh.message.replace(/^[^:]*: /, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;
}

/** The mesh part of recover: restore, release or mark recovered, as the journal says. */
async function recoverMesh(ctx: Context, options: RecoverOptions, run: FoundRun, journal: Journal): Promise<RecoverResult> {
  const dir = shownDir(run.dir, ctx.cwd);
  const done = (status: RecoverStatus, message: string): RecoverResult => ({ status, runDir: run.dir, message });
  const snapshot = snapshotOf(run.entries);
  if (!snapshot) return done('nothing-to-recover', `nothing to recover in ${dir}: the run stopped before it saved anything, so nothing was changed`);
  const original = pendingRestore(run.entries);
  const claim = run.entries.find((e): e is Extract<JournalEntry, { type: 'claim' }> => e.type === 'claim');
  const where = describeTarget(snapshot.target);

  if (!original && !claim) {
    const changed = run.entries.some((e) => e.type === 'apply');
    return done('nothing-to-recover', `nothing to recover in ${dir}: ${changed ? 'the journal is complete' : 'the run stopped before its first change'}`);
  }
  const entry = (options.trafficRegistry ?? createDefaultTrafficRegistry()).get(snapshot.provider);
  if (original && entry.reach === 'in-process' && snapshot.endpoint === undefined) {
    const reason = 'the run\'s local mesh ran inside the mesh-exp process, so it stopped with it: nothing is left changed';
    await journal.append({ type: 'recovered', reason });
    return done('in-process', `${dir}: ${reason} (the manifests on disk were never changed); marked the journal recovered. Use spec.local.attach to run against a mesh that outlives a crash`);
  }

  const provider = createFromJournal(ctx, options, entry, {
    name: snapshot.provider,
    target: targetOf(snapshot.target, dir),
    failpoint: ctx.failpoint,
    // Where the managed routes may be now: the region of any state the run applied.
    plannedStates: run.entries.flatMap((e) => (e.type === 'apply' ? [e.state] : [])),
  }, snapshot.endpoint);
  const at = `${snapshot.provider}${snapshot.endpoint !== undefined ? ` at ${snapshot.endpoint}` : ''}`;
  try {
    let live;
    try {
      live = await provider.current();
    } catch (err) {
      if (!original) return done('nothing-to-recover', `nothing to recover in ${dir}: the journal is complete (the target is not reachable to check for a left-over mark: ${(err as Error).message})`);
      throw new RuntimeError(`cannot reach ${where} through ${at} to restore it: ${(err as Error).message}`, {
        cause: err,
        hint: entry.reach === 'kube'
          ? `check that the cluster at ${snapshot.endpoint ?? '(journaled server)'} is reachable with this kubeconfig (--kubeconfig, --context), then run \`mesh-exp recover ${dir}\` again; nothing was written to the journal`
          : `start the mesh again at that address (\`mesh-exp mesh ... --admin ${snapshot.endpoint?.replace(/^https?:\/\//, '') ?? '<address>'}\`), then run \`mesh-exp recover ${dir}\` again; nothing was written to the journal`,
      });
    }
    if (!original) {
      // Complete journal: only a promoted run's mark may be left.
      if (!(await provider.release?.(claim!.owner))) return done('nothing-to-recover', `nothing to recover in ${dir}: the journal is complete and ${where} carries no mark of this run`);
      await journal.append({ type: 'released' });
      return done('released', `${dir}: removed this run's ownership mark from ${where}, nothing else${pendingRelease(run.entries) ? ' (the promotion stays in force)' : ''}`);
    }
    ctx.logger.info(`recover: the run changed ${where} and journaled no restore-done; restoring the original through ${at}`);
    await restoreMesh({
      provider,
      snapshot: { provider: snapshot.provider, original, takenAt: snapshot.time, ...(snapshot.endpoint !== undefined ? { endpoint: snapshot.endpoint } : {}), ...(claim ? { owner: claim.owner } : {}), ...(snapshot.policyOriginal ? { policyOriginal: snapshot.policyOriginal } : {}) },
      journal,
      reason: 'recover',
      failpoint: ctx.failpoint,
    });
    // The DestinationRule of traffic.policy is restored (and read back) with it.
    const rule = snapshot.policyOriginal ? ` and DestinationRule ${snapshot.target.namespace}/${snapshot.policyOriginal.metadata.name}` : '';
    ctx.logger.info(`recover: verified: ${where}${rule} read back equal${rule ? '' : 's'} the original in the journal; journaled restore-done`);
    if (isDeepStrictEqual(live, original) && !rule) {
      return done('restored', `${dir}: ${where} was already the original (the change never landed, or the mesh was restarted from its manifests); verified`);
    }
    return done('restored', `${dir}: restored ${where}${rule} to the original (verified)`);
  } finally {
    await provider.close().catch(() => {});
  }
}

/**
 * The experiment's target as the journal recorded it. Journals of mesh-exp before host and subsets
 * were journaled cannot say which route the run managed, so recovering them is refused.
 */
function targetOf(target: JournalTarget, dir: string): TargetFields {
  const { host, stable, canary } = target;
  if (host === undefined || stable === undefined || canary === undefined) {
    throw new RuntimeError(`the journal of ${dir} does not record the target's host and subsets (it was written by an older mesh-exp)`, {
      hint: 'restore the object by hand from the journal\'s "snapshot" line, then delete the run directory',
    });
  }
  return { ...target, host, stable, canary };
}

/** The provider the journal names, built from what it declares it needs; `endpoint` is where the run reached it. */
function createFromJournal(ctx: Context, options: RecoverOptions, entry: TrafficProviderEntry, deps: ProviderDeps, endpoint: string | undefined): TrafficProvider {
  if (entry.reach === 'kube') {
    return entry.create({ ...deps, kube: { ...options.kube, env: ctx.env, cwd: ctx.cwd, ...(endpoint !== undefined ? { expectedServer: endpoint } : {}) } });
  }
  if (entry.reach === 'admin-api' && endpoint !== undefined) return entry.create({ ...deps, endpoint });
  throw new RuntimeError(`the journal names provider ${deps.name} but no endpoint to reach it through`, {
    hint: 'restore the object by hand from the journal\'s "snapshot" line',
  });
}
