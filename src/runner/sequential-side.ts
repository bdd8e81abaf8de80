/**
 * analysis.mode: sequential on the runner's side (issue 22): one anytime-valid test per relative
 * SLO, fed once a second with the answers that arrived in that second (`load/arrival-batch.ts`):
 * - relative-error-rate → the sequential error-rate test, α = 1 − the SLO's confidence, its
 *   allowedIncrease as the test's, non-inferiority within analysis.nonInferiority.errorRate;
 * - relative-latency → the sequential latency test (cuts at the stable's p50, p90, p99), α as above,
 *   regression when the canary's odds of being slower than a cut exceed ×(1 + allowedIncrease),
 *   non-inferiority within ×analysis.nonInferiority.latencyOddsRatio.
 * Absolute SLOs (and prometheus ones, which are absolute too) keep their check at the step's end.
 *
 * A regression stops the step at once (`signal`, like early-abort.ts) and rolls back: its check is
 * critical. With promoteEarly, a step also ends once every test is certain of non-inferiority.
 * In A/A mode (`stopping: false`) the tests run and report but never stop the step: a regression
 * there is a false alarm to count.
 */
import { checkName } from '../analysis/evaluate.js';
import { createSequentialErrorRateTest, createSequentialLatencyTest, type SequentialErrorRateTest, type SequentialLatencyTest } from '../analysis/sequential/index.js';
import type { AnalysisSpec, SloSpec } from '../experiment/schema.js';
import { DEFAULT_NON_INFERIORITY } from '../experiment/sequential-schema.js';
import { createArrivalBatches, type ArrivalCounts } from '../load/arrival-batch.js';
import type { Sample } from '../load/types.js';
import type { CheckResult, SequentialTrace } from '../model/result.js';
import { sequentialCheck, sequentialMessage, sequentialTrace, type TestRecord } from './sequential-explain.js';

/** Options of {@link createSequentialSide}. */
export interface SequentialSideOptions {
  /** spec.analysis (mode, promoteEarly, nonInferiority). */
  analysis: Pick<AnalysisSpec, 'mode' | 'promoteEarly' | 'nonInferiority'>;
  /** spec.slos: the relative ones get a test. */
  slos: readonly SloSpec[];
  /** The versions compared (in A/A mode, the stable's two halves). */
  stable: string;
  /** Canary subset name. */
  canary: string;
  /** Whether a decision may stop the step (false in A/A mode). */
  stopping: boolean;
  /** When the step's load started, ms (the looks' t is counted from it). */
  startedAt: number;
  /** The clock, ms. */
  now(): number;
}

/** Why a step ended before its interval. */
export type EndedEarly = 'regression' | 'non-inferior';

/** What the tests concluded over a step. */
export interface SequentialOutcome {
  /** One check per test (before the SLOs' own checks). */
  checks: CheckResult[];
  /** One trace per test, for result.json. */
  traces: SequentialTrace[];
  /** Set when the step ended early on the tests. */
  endedEarly?: EndedEarly;
  /** The event line to print when it did. */
  event?: string;
}

/** The tests of one step. */
export interface SequentialSide {
  /** Aborts when the step must stop; combine it with the run's signal for the load. */
  readonly signal: AbortSignal;
  /** Counts one answer (after A/A relabelling) into the current second. */
  record(sample: Sample): void;
  /** Feeds the answers since the last look to every test; may stop the step. Nothing once stopped. */
  look(): void;
  /**
   * Starts looking every `everyMs` (default 1 s). A look that throws (a bug: the counts are the
   * recorder's own) stops the step through `signal`, and `finish` throws it, so the run ends in an
   * error and restores rather than dying in a timer.
   */
  start(everyMs?: number): void;
  /** Stops looking and, unless the step was stopped already, looks once more at what came in since; later calls return the same outcome. */
  finish(): SequentialOutcome;
  /** Stops looking (a step that ends without being judged: interrupted or failed). */
  close(): void;
  /** Check names of the SLOs tested (a step that ended early leaves out their end-of-step checks). */
  readonly testedNames: ReadonlySet<string>;
}

interface Entry extends TestRecord {
  feed(canary: ArrivalCounts, stable: ArrivalCounts): ReturnType<SequentialErrorRateTest['update']>;
}

/** α = 1 − confidence, without the float noise of the subtraction (1 − 0.98 is 0.020000000000000018; 1/α would print 49.99…). */
export function alphaOf(confidence: number): number {
  return Number((1 - confidence).toPrecision(12));
}

function entryOf(slo: SloSpec, margins: typeof DEFAULT_NON_INFERIORITY): Entry | undefined {
  if (slo.kind === 'relative-error-rate') {
    const alpha = alphaOf(slo.confidence);
    const test = createSequentialErrorRateTest({ alpha, allowedIncrease: slo.allowedIncrease, nonInferiorityMargin: margins.errorRate });
    const feed = (c: ArrivalCounts, s: ArrivalCounts) => test.update({ canary: c, stable: s });
    return { name: checkName(slo), kind: 'error-rate', alpha, margin: margins.errorRate, quantity: 'canary − stable error rate', result: test.result(), points: [], feed };
  }
  if (slo.kind === 'relative-latency') {
    const alpha = alphaOf(slo.confidence);
    const test: SequentialLatencyTest = createSequentialLatencyTest({
      alpha,
      regressionOddsRatio: 1 + slo.allowedIncrease,
      nonInferiorityOddsRatio: margins.latencyOddsRatio,
      confidenceSequence: true,
    });
    const feed = (c: ArrivalCounts, s: ArrivalCounts) => test.update({ canary: c.latency, stable: s.latency });
    const quantity = "odds ratio of a canary request being slower than the stable's median";
    return { name: checkName(slo), kind: 'latency', alpha, margin: margins.latencyOddsRatio, quantity, result: test.result(), points: [], feed };
  }
  return undefined;
}

/** The step's tests, or undefined when the analysis is fixed or no SLO gets one. */
export function createSequentialSide(options: SequentialSideOptions): SequentialSide | undefined {
  if (options.analysis.mode !== 'sequential') return undefined;
  const margins = options.analysis.nonInferiority ?? DEFAULT_NON_INFERIORITY;
  const entries = options.slos.map((slo) => entryOf(slo, margins)).filter((e): e is Entry => e !== undefined);
  if (entries.length === 0) return undefined;
  const { stable, canary } = options;
  const batches = createArrivalBatches([stable, canary]);
  const controller = new AbortController();
  let stopped: { why: EndedEarly; event: string } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  // The last look, at the step's end: a decision there is reported, but the step did not end early.
  let finishing = false;
  let outcome: SequentialOutcome | undefined;
  let failure: unknown;

  function close(): void {
    clearInterval(timer);
    timer = undefined;
  }

  function look(): void {
    if (stopped) return;
    const batch = batches.take();
    const t = Math.max(0, options.now() - options.startedAt) / 1000;
    for (const e of entries) {
      const r = (e.result = e.feed(batch.get(canary)!, batch.get(stable)!));
      e.points.push({
        t: Math.round(t * 1000) / 1000,
        eValue: r.eValue,
        ...(r.nonInferiorityEValue !== undefined ? { nonInferiorityEValue: r.nonInferiorityEValue } : {}),
        samples: { ...r.samples },
        ...(r.interval ? { lower: r.interval.lower, upper: r.interval.upper } : {}),
      });
    }
    if (!options.stopping || finishing) return;
    const regressed = entries.find((e) => e.result.decision === 'regression');
    if (regressed) stop('regression', `${sequentialMessage(regressed, true)}; stopping the step and rolling back`);
    else if (options.analysis.promoteEarly && entries.every((e) => e.result.decision === 'non-inferior')) {
      stop('non-inferior', `every sequential test is certain of non-inferiority after ${Math.round(t)} s; ending the step early (promoteEarly)`);
    }
  }

  function stop(why: EndedEarly, event: string): void {
    stopped = { why, event };
    controller.abort(new Error(event));
  }

  return {
    signal: controller.signal,
    testedNames: new Set(entries.map((e) => e.name)),
    record: (sample) => batches.record(sample),
    look,
    start(everyMs = 1000) {
      timer ??= setInterval(() => {
        try {
          look();
        } catch (err) {
          failure = err;
          close();
          controller.abort(err);
        }
      }, everyMs);
    },
    close,
    finish() {
      close();
      if (failure !== undefined) throw failure;
      if (outcome) return outcome;
      // What arrived after the last look still counts, unless a decision already ended the step.
      finishing = true;
      if (!stopped) look();
      const early = stopped !== undefined;
      return (outcome = {
        checks: entries.map((e) => sequentialCheck(e, early)),
        traces: entries.map((e) => sequentialTrace(e)),
        ...(stopped ? { endedEarly: stopped.why, event: stopped.event } : {}),
      });
    },
  };
}
