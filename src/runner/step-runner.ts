/**
 * One step: journal the change, apply it, verify the data plane serves it, measure for the step
 * duration, judge the SLOs and decide. Returns undefined when the run was aborted mid-step
 * (nothing is judged on a partial window).
 */
import { decide } from '../analysis/decide.js';
import { checkName, evaluateChecks } from '../analysis/evaluate.js';
import { ALL_VERSION, FAULT_ABORT_VERSION, UNKNOWN_VERSION } from '../analysis/subject.js';
import type { Context } from '../context.js';
import { createSampleRecorder, type SampleRecorder } from '../load/recorder.js';
import { rateAt } from '../load/rate-profile.js';
import type { StepResult, VersionStats } from '../model/result.js';
import { timelinePointMs } from '../model/timeline.js';
import type { Journal } from './journal.js';
import type { StepLog } from './step-log.js';
import { createEarlyAbort } from './early-abort.js';
import { createSequentialSide } from './sequential-side.js';
import { runLoadWindow } from './load-window.js';
import type { AaGroups } from './aa-mode.js';
import type { Sample } from '../load/types.js';
import type { WeightedSample } from '../analysis/stats/weighted-sample.js';
import { measureMeshSide, type MeshSide } from './mesh-side.js';
import { describeMirrored, watchMirror } from './mirror-side.js';
import { watchMeshView, watchOutlierEvents } from './mesh-view-side.js';
import type { RunSetup } from './run-setup.js';
import type { PlannedStep, StepPlan } from '../experiment/step-plan.js';
import type { RunOptions, RunnableExperiment } from './types.js';

/** What a step needs from the run. */
export interface StepContext {
  /** The experiment. */
  loaded: RunnableExperiment;
  /** CLI context (clock, signal). */
  ctx: Context;
  /** Provider, generator, load plan. */
  setup: RunSetup;
  /** The run's journal. */
  journal: Journal;
  /** The whole plan (for the step count and promotion). */
  plan: StepPlan;
  /** Progress sink and interval. */
  options: RunOptions;
  /** Records an event of the run (report timeline + progress view). */
  event(message: string): void;
  /** Where each finished step is appended (steps.jsonl), so it survives a crash. @default none */
  stepLog?: StepLog;
  /** A/A mode: the stable's two random halves stand in for stable and canary. @default off */
  aa?: { groups: AaGroups; relabel(sample: Sample): Sample };
  /** Told each judged step's latency distributions (stable, canary, all), for the run history. @default none */
  onDistributions?(step: number, distributions: ReadonlyMap<string, WeightedSample>): void;
}

/**
 * Adds a zero entry for each named subset the step's recorder never saw (e.g. the stable at weight
 * 0), so reports show a silent version as 0 requests rather than leaving it out.
 */
export function withSubsets(stats: VersionStats[], subsets: string[]): VersionStats[] {
  const missing = [...new Set(subsets)].filter((v) => !stats.some((s) => s.version === v));
  if (!missing.length) return stats;
  const zero = (version: string): VersionStats => ({
    version,
    count: 0,
    errors: 0,
    errorRate: null,
    latency: { p50: null, p90: null, p95: null, p99: null, 'p99.9': null, max: null, mean: null },
    rps: 0,
  });
  // Keep the recorder's order: named versions by name, then the mesh's fault aborts, "unknown", "all".
  const rank = (v: string) => [FAULT_ABORT_VERSION, UNKNOWN_VERSION, ALL_VERSION].indexOf(v) + 1;
  return [...stats, ...missing.map(zero)].sort((a, b) => rank(a.version) - rank(b.version) || (rank(a.version) ? 0 : a.version.localeCompare(b.version)));
}

/**
 * A step's timeline: points as wide as the whole run's planned length (`plannedMs`) asks (one second up to 20 minutes,
 * wider beyond, merged exactly from the seconds: src/model/timeline.ts), so every step of a run has
 * the same width; `timelineSeconds` only when it is not 1, so short runs' results stay as they were.
 */
export function stepTimeline(recorder: Pick<SampleRecorder, 'timeline'>, plannedMs: number, endedAt: number): Pick<StepResult, 'timeline' | 'timelineSeconds'> {
  const pointMs = timelinePointMs(plannedMs);
  const timeline = recorder.timeline({ bucketMs: pointMs }).filter((p) => p.time < endedAt);
  return pointMs === 1000 ? { timeline } : { timeline, timelineSeconds: pointMs / 1000 };
}

/** Runs one step; `failedSoFar` is the previous step's failedChecksTotal (0 at first). */
export async function runStep(sc: StepContext, step: PlannedStep, failedSoFar: number): Promise<StepResult | undefined> {
  const { ctx, setup, journal, plan, loaded } = sc;
  const { spec } = loaded.experiment;
  const n = `${step.index + 1}/${plan.steps.length}`;

  await journal.append({ type: 'apply', step: step.index, state: step.state });
  await ctx.failpoint('before-apply');
  await setup.provider.apply(step.state);
  await ctx.failpoint('after-apply');
  await setup.provider.verify(step.state);
  await ctx.failpoint('after-verify');
  sc.event(`step ${n}: applied ${step.label}`);

  const recorder = createSampleRecorder();
  const startedAt = ctx.clock.now();
  // In A/A mode the halves of the stable are judged as stable and canary; an early abort there
  // would only cut short the false-alarm count, so it is off.
  const names = sc.aa?.groups ?? { stable: spec.target.stable, canary: spec.target.canary };
  const relabel = sc.aa?.relabel;
  const early = createEarlyAbort({ conditions: sc.aa ? [] : spec.analysis.abortWhen, ...names, minSamples: spec.analysis.minSamples });
  // In A/A mode the sequential tests run too, without stopping: their regressions are false alarms to count.
  // The smaller version's expected requests by the step's end (the latency test's bets are tuned to it); A/A halves are even.
  const smallerShare = sc.aa ? 0.5 : Math.min(step.canaryWeight ?? 50, 100 - (step.canaryWeight ?? 50)) / 100;
  const horizon = spec.load.rate * (step.loadDurationMs / 1000) * Math.max(smallerShare, 0.01);
  // The prometheus SLOs' tests read the canary's counters; Prometheus cannot tell the stable's A/A halves apart, so not in A/A mode.
  const promSpec = spec.metrics?.prometheus;
  const sequentialProm = setup.metrics && promSpec && !sc.aa ? { source: setup.metrics, spec: promSpec, target: spec.target, warn: (m: string) => ctx.logger.warn(`step ${n}: ${m}`) } : undefined;
  const sequential = createSequentialSide({ analysis: spec.analysis, slos: spec.slos, ...names, stopping: !sc.aa, startedAt, now: () => ctx.clock.now(), horizon, prometheus: sequentialProm });
  // A crash point in the middle of the load (in-process, where it throws, it only logs).
  const mirror = step.state.mirror
    ? await watchMirror({ read: setup.meshMetrics, host: spec.target.host, subset: step.state.mirror.subset, signal: ctx.signal, warn: (m) => ctx.logger.warn(m) })
    : undefined;
  const { meshMetrics, meshStats } = setup;
  const meshView = await watchMeshView({ slos: spec.slos, target: spec.target, reader: meshMetrics && meshStats ? { metrics: meshMetrics, stats: meshStats } : undefined, signal: ctx.signal });
  const outliers = watchOutlierEvents(spec.slos, setup.mesh);
  const midLoad = setTimeout(() => void ctx.failpoint('mid-load').catch((err: unknown) => ctx.logger.error(String(err))), step.durationMs / 2);
  const loadPlan = setup.loadPlan(step.loadDurationMs);
  const profile = loadPlan.profile;
  try {
    sequential?.start();
    const loadSummary = await runLoadWindow({
      generator: setup.generator,
      plan: loadPlan,
      durationMs: step.durationMs,
      signal: AbortSignal.any([ctx.signal, early.signal, ...(sequential ? [sequential.signal] : [])]),
      onSample: (s) => {
        const sample = relabel ? relabel(s) : s;
        recorder.record(sample);
        sequential?.record(sample);
      },
      tickMs: sc.options.progressIntervalMs ?? 250,
      onTick: () => {
        if (!sc.options.progress && spec.analysis.abortWhen.length === 0) return;
        const elapsedMs = ctx.clock.now() - startedAt;
        const stats = recorder.stats(startedAt, startedAt + Math.max(elapsedMs, 1));
        early.check(stats);
        if (!sc.options.progress) return;
        const all = stats.find((v) => v.version === 'all');
        sc.options.progress.update({
          stepIndex: step.index,
          stepCount: plan.steps.length,
          label: step.label,
          elapsedMs,
          stepDurationMs: step.durationMs,
          rate: all && elapsedMs > 0 ? all.count / (elapsedMs / 1000) : 0,
          // Once the load is over there is no target to show (a "target 0" on the step's last line reads as a failure).
          ...(profile && setup.generator && elapsedMs < step.loadDurationMs ? { targetRate: rateAt(profile, elapsedMs) } : {}),
          ...(setup.distributed && spec.load.distributed ? { inCluster: { pods: spec.load.distributed.replicas, rate: loadPlan.rate } } : {}),
          perVersion: stats.map((v) => ({ version: v.version, count: v.count, errorRate: v.errorRate, p99: v.latency.p99 })),
        });
      },
    });
    clearTimeout(midLoad);
    if (ctx.signal.aborted) return undefined;
    const seq = sequential?.finish();
    const endedAt = ctx.clock.now();
    await ctx.failpoint('after-load');
    const mirrored = await mirror?.end();
    const meshViewed = await meshView?.end();
    if (ctx.signal.aborted) return undefined;
    if (mirrored) sc.event(`step ${n}: ${describeMirrored(mirrored)}`);
    for (const line of outliers?.end() ?? []) sc.event(`step ${n}: ${line}`);
    // What the engine reported without failing the step (k6: thresholds crossed, exit 99).
    for (const note of loadSummary?.notes ?? []) sc.event(`step ${n}: ${note}`);
    // The recorder only holds this step's samples, so the whole range is exactly this step.
    const stats = withSubsets(recorder.stats(startedAt, endedAt), [names.stable, names.canary]);
    const prometheus = spec.metrics?.prometheus;
    let meshSide: MeshSide | undefined;
    if (setup.metrics && prometheus) {
      try {
        meshSide = await measureMeshSide({ source: setup.metrics, prometheus, target: spec.target, slos: spec.slos, meshView: !meshView, startedAt, ctx });
      } catch (err) {
        // A signal during the settle wait or a query: the step is abandoned, not failed.
        if (ctx.signal.aborted) return undefined;
        throw err;
      }
    }
    if (early.tripped) sc.event(`step ${n}: ${early.tripped.message}; stopping the step`);
    if (seq?.event) sc.event(`step ${n}: ${seq.event}`);
    const distributions = new Map([names.stable, names.canary, 'all'].map((v) => [v, recorder.distribution(v)]));
    sc.onDistributions?.(step.index, distributions);
    // A step the sequential tests ended judges their SLOs by them alone, the others on the requests so far.
    const judged = evaluateChecks(seq?.endedEarly ? spec.slos.filter((s) => !sequential!.testedNames.has(checkName(s))) : spec.slos, stats, {
      ...names,
      minSamples: spec.analysis.minSamples,
      measurements: new Map([...(meshSide?.measurements ?? []), ...(meshViewed ?? [])]),
      distributions,
    });
    const checks = [...(early.tripped ? [early.tripped] : []), ...(seq?.checks ?? []), ...judged];
    const decided = decide({
      checks,
      failedSoFar,
      threshold: spec.analysis.threshold,
      noDataFails: spec.analysis.noDataFails,
      lastStep: step.index === plan.steps.length - 1,
      promote: plan.promote,
    });
    const { failedChecksTotal } = decided;
    // A/A: a failed check is a false alarm to count, not a reason to stop.
    const lastStep = step.index === plan.steps.length - 1;
    const decision = sc.aa ? (lastStep ? 'complete' : 'continue') : decided.decision;
    const failed = checks.filter((c) => c.verdict !== 'pass');
    sc.event(
      `step ${n}: ${checks.length - failed.length}/${checks.length} checks passed` +
        (failed.length ? ` (${failed.map((c) => c.message).join('; ')})` : '') +
        ` → ${decision}`,
    );
    return {
      index: step.index,
      canaryWeight: step.canaryWeight,
      label: step.label,
      startedAt,
      endedAt,
      stats,
      // Figures per request name, for a scripted load only: a single-request result stays as it was.
      ...(loadPlan.picker ? { requests: recorder.requestStats(startedAt, endedAt, loadPlan.picker.names) } : {}),
      ...stepTimeline(recorder, plan.steps.reduce((ms, s) => ms + s.durationMs, 0), endedAt),
      ...(meshSide ? { meshView: meshSide.view } : {}),
      ...(mirrored ? { mirrored } : {}),
      checks,
      failedChecksTotal,
      decision,
      ...(seq ? { sequential: seq.traces } : {}),
      ...(seq?.endedEarly ? { endedEarly: seq.endedEarly } : {}),
      ...(early.tripped ? { abortedEarly: true } : {}),
    };
  } finally {
    clearTimeout(midLoad);
    sequential?.close();
    recorder.close();
  }
}
