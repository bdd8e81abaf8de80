/**
 * The runner: a small state machine around the user's VirtualService.
 *
 *   setup + preflight ─► snapshot (journal) ─► claim (attach: mark the object) ─► step i: apply
 *   (journal first) ─► verify ─► measure ─► judge ─► decide: continue | promote | complete | rollback
 *
 * Named failpoints (`src/failpoints.ts`) sit at every transition, so tests can SIGKILL the run there.
 *
 * The mesh is restored on rollback, on success without promotion, on error and on abort (ctx.signal,
 * whose reason is a SignalError: load stops at once, the restore still runs to completion). Only a
 * promotion leaves a change behind, and then only the canary at 100%: faults, mirrors and A/B routes
 * are removed even then. Errors before the snapshot change nothing and are thrown as they are.
 */
import path from 'node:path';
import type { Context } from '../context.js';
import { exitCodeOf } from '../errors.js';
import { writeReports } from '../report/index.js';
import { restoreMesh } from './restore.js';
import type { RunResult, StepResult } from '../model/result.js';
import type { Journal } from './journal.js';
import { errorText, exitCodeFor, summaryFor, type RunEnd } from './outcome.js';
import { setUpRun, type RunSetup } from './run-setup.js';
import { startRun } from './run-start.js';
import { distributedGenerator } from './distributed-side.js';
import { createRunFilesOpener, journalChildren } from './run-files.js';
import { createStepLog, type StepLog, type StepLogRun } from './step-log.js';
import { runStep, type StepContext } from './step-runner.js';
import { planSteps } from '../experiment/step-plan.js';
import type { TargetSpec } from '../experiment/schema.js';
import { aaGroups, createAaSplitter, planAa } from './aa-mode.js';
import { aaFigures, aaSentence } from '../analysis/aa-summary.js';
import type { RunOptions, RunOutput, RunnableExperiment } from './types.js';
import type { TrafficSnapshot } from '../traffic/types.js';
import { describeTarget } from '../traffic/target-object.js';
import type { WeightedSample } from '../analysis/stats/weighted-sample.js';
import type { StepDistributions } from '../history/build-entry.js';
import { recordRunInHistory } from '../history/record-run.js';

const message = errorText;

/** Runs the experiment and returns its result (reports are written to the run directory). */
export async function runExperiment(loaded: RunnableExperiment, ctx: Context, options: RunOptions = {}): Promise<RunResult> {
  return (await executeRun(loaded, ctx, options)).result;
}

/** Like {@link runExperiment}, also returning the run directory, journal and report paths. */
export async function executeRun(loaded: RunnableExperiment, ctx: Context, options: RunOptions = {}): Promise<RunOutput> {
  const { experiment } = loaded;
  const { target } = experiment.spec;
  const plan = options.aa ? planAa(experiment, options.aa) : planSteps(experiment);
  const aa = options.aa ? { groups: aaGroups(target.stable), relabel: createAaSplitter(target.stable, options.aa.seed) } : undefined;
  const startedAt = ctx.clock.now();
  const events: RunResult['events'] = [];
  const event = (text: string) => {
    events.push({ time: ctx.clock.now(), message: text });
    if (options.progress) options.progress.event(text);
    else ctx.logger.info(text);
  };
  const files = createRunFilesOpener(
    { name: experiment.metadata.name, startedAt, cwd: ctx.cwd, ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}) },
    () => ctx.clock.now(),
  );
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const setup = await setUpRun(loaded, ctx, plan, options, journalChildren(files), async () => (await files.open()).runDir);
    // Every way out closes the mesh, so no backend process outlives the run (its group is
    // stopped: SIGTERM, then SIGKILL); close is idempotent, so the early close below is safe.
    try {
      // A signal before the first change: nothing to restore, stop as the signal says.
      if (ctx.signal.aborted) throw ctx.signal.reason;
      // From the journal's first line on, a signal ends the run through a restore (ctx.phase: what
      // main() tells the user); a start that fails has put everything back before it throws.
      // A start that fails hands the phase back as it found it: a game day's between-experiments
      // (its journal still to end) is not the "nothing to do, exit now" of a lone run.
      const phaseBefore = ctx.phase;
      ctx.phase = 'changed';
      const started = await startRun(loaded, ctx, setup, files).catch((err: unknown) => {
        ctx.phase = phaseBefore;
        throw err;
      });
      event(`saved ${savedObjects(target, started.snapshot)} to the journal; ${plan.steps.length} step(s) planned`);
      setup.notify.start(experiment, plan.steps.length);
      // Distributed load marks and journals its objects: it needs the run's journal.
      if (setup.distributed) setup.generator = distributedGenerator(setup.distributed, started.journal);
      const stepLog = await openStepLog(ctx, started.runDir, events, {
        name: experiment.metadata.name,
        startedAt,
        plannedSteps: plan.steps.length,
        experiment,
        ...(loaded.source !== undefined ? { experimentSource: loaded.source } : {}),
        environment: setup.environment,
      });
      const distributions = new Map<number, ReadonlyMap<string, WeightedSample>>();
      const onDistributions = (step: number, d: ReadonlyMap<string, WeightedSample>) => void distributions.set(step, d);
      const end = await runSteps({ loaded, ctx, setup, journal: started.journal, plan, options, event, onDistributions, ...(stepLog ? { stepLog } : {}), ...(aa ? { aa } : {}) }, started.snapshot);
      await setup.close().catch((err: unknown) => ctx.logger.warn(`closing the local mesh: ${message(err)}`));
      return await finish(loaded, ctx, options, { ...started, setup, startedAt, events, end, distributions });
    } finally {
      // Already closed (and any failure warned about) on the normal path; this covers the throws.
      await setup.close().catch(() => {});
      // Last: outstanding notifications get a bounded grace time, after the mesh is settled.
      await setup.notify.close();
    }
  } finally {
    options.progress?.done();
  }
}

/** Opens steps.jsonl and writes its run line; a failure only warns (the run goes on, unrecorded). */
async function openStepLog(ctx: Context, runDir: string, events: RunResult['events'], run: StepLogRun): Promise<StepLog | undefined> {
  const log = createStepLog(runDir, events);
  try {
    await log.start(run);
    return log;
  } catch (err) {
    ctx.logger.warn(`cannot write ${log.path} (${message(err)}): the steps will not survive a crash`);
    return undefined;
  }
}

/**
 * Applies and verifies the promotion, journals `promoted` (nothing to restore from here on), then
 * removes the run's ownership mark; a failed removal only warns: the promotion is in force.
 */
async function promote(sc: StepContext): Promise<void> {
  const { ctx, setup, journal, plan } = sc;
  await journal.append({ type: 'apply', step: 'promote', state: plan.promotionState });
  await ctx.failpoint('before-promote');
  await setup.provider.apply(plan.promotionState);
  await setup.provider.verify(plan.promotionState);
  await ctx.failpoint('after-promote');
  await journal.append({ type: 'promoted' });
  sc.event('promoted: canary at 100%; experiment routes removed');
  await ctx.failpoint('after-promoted');
  if (!setup.provider.release) return;
  try {
    await setup.provider.release(journal.path);
    await journal.append({ type: 'released' });
  } catch (err) {
    ctx.logger.warn(`the promotion is in force, but its ownership mark could not be removed (${message(err)}); \`mesh-exp recover ${path.dirname(journal.path)}\` removes it`);
  }
}

/** Runs the steps, then promotes or restores; never throws (errors become the outcome). */
/** What a snapshot holds, for the run's events: "VirtualService default/reviews and DestinationRule default/reviews". */
function savedObjects(target: TargetSpec, snapshot: TrafficSnapshot): string {
  const rule = snapshot.policyOriginal;
  const routing = describeTarget(target);
  return rule ? `${routing} and DestinationRule ${rule.metadata.namespace ?? target.namespace}/${rule.metadata.name}` : routing;
}

async function runSteps(sc: StepContext, snapshot: TrafficSnapshot): Promise<RunEnd> {
  const { ctx, setup, journal, plan } = sc;
  const steps: StepResult[] = [];
  let end: RunEnd;
  let activeStep: number | undefined;
  try {
    for (const step of plan.steps) {
      if (ctx.signal.aborted) break;
      activeStep = step.index;
      const result = await runStep(sc, step, steps.at(-1)?.failedChecksTotal ?? 0);
      if (!result) break;
      steps.push(result);
      activeStep = undefined;
      // Sent in the background: a hanging receiver never holds the next step nor the restore.
      setup.notify.decision(sc.loaded.experiment.metadata.name, result, plan.steps.length);
      // Before the decision is acted on: a crash from here on keeps this step's figures.
      await sc.stepLog?.step(result).catch((err: unknown) => ctx.logger.warn(`writing step ${result.index + 1} to ${sc.stepLog!.path}: ${message(err)}`));
      if (result.decision !== 'continue') break;
    }
    const decision = steps.at(-1)?.decision;
    if (ctx.signal.aborted) {
      end = { outcome: 'interrupted', steps, restored: false, abortReason: ctx.signal.reason, ...(activeStep !== undefined ? { activeStep } : {}) };
    } else if (decision === 'promote') {
      ctx.phase = 'promoting';
      await promote(sc);
      ctx.phase = 'finishing';
      return { outcome: 'promoted', steps, restored: true };
    } else {
      end = { outcome: decision === 'rollback' ? 'rolled-back' : 'passed', steps, restored: false };
    }
  } catch (err) {
    end = ctx.signal.aborted
      ? { outcome: 'interrupted', steps, restored: false, abortReason: ctx.signal.reason }
      : // The error keeps its own exit code (a RuntimeError 3, a permission error what exitCodeOf says,
        // a usage error 2); the mesh is still restored first, and a failed restore (4) trumps it.
        { outcome: 'error', steps, restored: false, error: message(err), errorExitCode: exitCodeOf(err) };
    if (activeStep !== undefined) end.activeStep = activeStep;
    if (end.outcome === 'error') sc.event(`error: ${message(err)}`);
  }
  const reason = end.outcome === 'interrupted' ? 'interrupted' : end.outcome === 'error' ? 'error' : end.outcome === 'rolled-back' ? 'rollback' : 'complete';
  ctx.phase = 'restoring';
  // No step runs any more: the live view stops here (drawing what it held), so its block cannot
  // be redrawn under the restore's lines.
  sc.options.progress?.done();
  try {
    await ctx.failpoint('before-restore');
    await restoreMesh({ provider: setup.provider, snapshot, journal, reason, failpoint: ctx.failpoint });
    end.restored = true;
    sc.event(`restored the original ${savedObjects(sc.loaded.experiment.spec.target, snapshot)} (${reason})`);
  } catch (err) {
    end.error = end.error ? `${end.error}; ${message(err)}` : message(err);
    sc.event(`RESTORE FAILED: ${message(err)} (the original is in ${journal.path})`);
  }
  ctx.phase = 'finishing';
  return end;
}

interface FinishInput {
  runDir: string;
  journal: Journal;
  setup: RunSetup;
  startedAt: number;
  events: RunResult['events'];
  end: RunEnd;
  /** Each judged step's latency distributions, for the history. */
  distributions: StepDistributions;
}

/** Builds the RunResult, journals the end, writes the reports. */
async function finish(loaded: RunnableExperiment, ctx: Context, options: RunOptions, input: FinishInput): Promise<RunOutput> {
  const { end } = input;
  const aa = options.aa ? aaFigures(end.steps, options.aa.seed) : undefined;
  const result: RunResult = {
    schemaVersion: 1,
    name: loaded.experiment.metadata.name,
    outcome: end.outcome,
    summary: aa && end.outcome === 'passed' ? `${aaSentence(aa, loaded.experiment.spec.target.stable)}; the mesh was restored.` : summaryFor(end),
    ...(aa ? { aa } : {}),
    exitCode: exitCodeFor(end),
    startedAt: input.startedAt,
    endedAt: ctx.clock.now(),
    steps: end.steps,
    restored: end.restored,
    ...(end.error !== undefined ? { error: end.error } : {}),
    experiment: loaded.experiment,
    ...(loaded.source !== undefined ? { experimentSource: loaded.source } : {}),
    environment: input.setup.environment,
    events: input.events,
  };
  await ctx.failpoint('before-end');
  await input.journal.append({ type: 'end', outcome: result.outcome, restored: result.restored });
  await ctx.failpoint('after-end');
  let reportFiles: string[] = [];
  try {
    reportFiles = await writeReports(result, input.runDir, ...(options.reports ? [options.reports] : []));
  } catch (err) {
    ctx.logger.error(`writing reports to ${input.runDir}: ${message(err)}`);
  }
  await recordRunInHistory({ result, runDir: input.runDir, distributions: input.distributions, ...(options.gameDay ? { gameDay: { name: options.gameDay.name, dir: path.resolve(ctx.cwd, options.gameDay.dir) } } : {}) }, ctx.logger);
  const report = reportFiles.find((f) => f.endsWith('.html')) ?? input.runDir;
  input.setup.notify.verdict(result, path.relative(ctx.cwd, report) || '.');
  return { result, runDir: input.runDir, journalPath: input.journal.path, reportFiles };
}
