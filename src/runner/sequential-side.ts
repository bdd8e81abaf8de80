/**
 * analysis.mode: sequential on the runner's side (issue 22): one anytime-valid test per SLO that
 * `sequentialAlpha` (experiment/sequential-rules.ts, also validate's and plan's rule) gives an α, fed once a second with the answers that arrived in that second (`load/arrival-batch.ts`):
 * - relative-error-rate → the sequential error-rate test, α = 1 − the SLO's confidence, its
 *   allowedIncrease as the test's, non-inferiority within analysis.nonInferiority.errorRate;
 * - relative-latency → the sequential latency test (rank-score bets), α as above, regression when
 *   the canary is certainly more than allowedIncrease slower, non-inferiority when it is certainly
 *   less than analysis.nonInferiority.latency slower; its bets are tuned to the step's expected
 *   requests of the smaller version (`horizon`);
 * - error-rate of the canary (max above 0) → the threshold test of its error rate against max;
 * - latency of the canary (p50 … p99.9) → the threshold test of its share of requests slower than
 *   max against 1 − the percentile (p99 ≤ 250 ms: at most 1% slower than 250 ms), counted at the
 *   histogram's resolution (3 significant digits); α = 1 − analysis.absoluteConfidence for both.
 * - prometheus built-ins of the canary (request-success-rate with min, request-duration with max)
 *   → the threshold test on Prometheus's counters, read once per scrape interval rather than fed
 *   from the answers (sequential-prometheus.ts).
 * Other SLOs (other subjects, p100, custom prometheus queries and mesh-view kinds) keep their check at the step's end.

 * A regression stops the step at once (`signal`, like early-abort.ts) and rolls back: its check is
 * critical. With promoteEarly, a step also ends once every test is certain of non-inferiority.
 * In A/A mode (`stopping: false`) the tests run and report but never stop the step: a regression
 * there is a false alarm to count.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { checkName } from '../analysis/evaluate.js';
import { createSequentialErrorRateTest, createSequentialLatencyTest, createSequentialThresholdTest, type SequentialResult } from '../analysis/sequential/index.js';
import type { AnalysisSpec, SloSpec } from '../experiment/schema.js';
import { DEFAULT_NON_INFERIORITY } from '../experiment/sequential-schema.js';
import { sequentialAlpha } from '../experiment/sequential-rules.js';
import { createArrivalBatches, type ArrivalCounts } from '../load/arrival-batch.js';
import { bucketValueMs, type BucketCounts } from '../load/bucket-counts.js';
import type { Sample } from '../load/types.js';
import type { CheckResult, SequentialTrace } from '../model/result.js';
import { sequentialCheck, sequentialMessage, sequentialTrace, type TestRecord } from './sequential-explain.js';
import { prometheusEntry, readPolled, type PolledEntry, type SequentialPrometheus } from './sequential-prometheus.js';

/** Options of {@link createSequentialSide}. */
export interface SequentialSideOptions {
  /** spec.analysis (mode, promoteEarly, nonInferiority, absoluteConfidence). */
  analysis: Pick<AnalysisSpec, 'mode' | 'promoteEarly' | 'nonInferiority' | 'absoluteConfidence'>;
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
  /** Requests of the smaller of the two versions expected by the step's end: the latency test's bets are tuned to it. @default 3600 */
  horizon?: number;
  /** Where the prometheus SLOs' counters are read (none: those SLOs get no test). Not in A/A mode: Prometheus cannot tell the stable's halves apart. @default none */
  prometheus?: SequentialPrometheus;
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
  /** Feeds the answers since the last look to every test fed by them; may stop the step. Nothing once stopped. */
  look(): void;
  /** Reads the prometheus SLOs' counters once and feeds their gains; may stop the step. Nothing once stopped or closed. */
  poll(): Promise<void>;
  /**
   * Starts looking every `everyMs` (default 1 s), and polling Prometheus once per its scrape
   * interval (the first read, now, is the baseline). A look that throws (a bug: the counts are the
   * recorder's own) stops the step through `signal`, and `finish` throws it, so the run ends in an
   * error and restores rather than dying in a timer.
   */
  start(everyMs?: number): void;
  /** Stops looking and, unless the step was stopped already, looks once more at what came in since; later calls return the same outcome. */
  finish(): SequentialOutcome;
  /** Stops looking and polling (a step that ends without being judged: interrupted or failed). */
  close(): void;
  /** Check names of the SLOs tested (a step that ended early leaves out their end-of-step checks). */
  readonly testedNames: ReadonlySet<string>;
}

interface Entry extends TestRecord {
  /** Fed the answers of one look. */
  feed(canary: ArrivalCounts, stable: ArrivalCounts): SequentialResult;
}

/** The share of requests each latency percentile allows above its limit. */
const SHARE_ABOVE = { p50: 0.5, p90: 0.1, p95: 0.05, p99: 0.01, 'p99.9': 0.001 } as const;

/** Requests in buckets whose value is above `limitMs`. */
function countAbove(cell: BucketCounts, limitMs: number): number {
  let n = 0;
  for (let i = cell.size - 1; i >= 0 && bucketValueMs(cell.index[i]!) > limitMs; i--) n += cell.count[i]!;
  return n;
}

interface EntryContext {
  margins: typeof DEFAULT_NON_INFERIORITY;
  horizon: number;
}

/** The test of an SLO fed by the answers, given its α from `sequentialAlpha` (which decided that it gets one); undefined for a polled (prometheus) SLO. */
function entryOf(slo: SloSpec, alpha: number, ctx: EntryContext): Entry | undefined {
  const base = { name: checkName(slo), points: [], alpha };
  if (slo.kind === 'relative-error-rate') {
    const test = createSequentialErrorRateTest({ alpha, allowedIncrease: slo.allowedIncrease, nonInferiorityMargin: ctx.margins.errorRate });
    const feed = (c: ArrivalCounts, s: ArrivalCounts) => test.update({ canary: c, stable: s });
    return { ...base, kind: 'error-rate', margin: ctx.margins.errorRate, quantity: 'canary − stable error rate', result: test.result(), feed };
  }
  if (slo.kind === 'relative-latency') {
    const test = createSequentialLatencyTest({
      alpha,
      regressionMargin: slo.allowedIncrease,
      nonInferiorityMargin: ctx.margins.latency,
      horizon: ctx.horizon,
      bucketValue: bucketValueMs,
      confidenceSequence: true,
    });
    const feed = (c: ArrivalCounts, s: ArrivalCounts) => test.update({ canary: c.latency, stable: s.latency });
    return { ...base, kind: 'latency', margin: ctx.margins.latency, quantity: 'canary ÷ stable latency − 1', result: test.result(), feed };
  }
  if (slo.kind === 'error-rate') {
    const test = createSequentialThresholdTest({ alpha, bound: slo.max });
    const feed = (c: ArrivalCounts) => test.update({ requests: c.requests, errors: c.errors });
    return { ...base, kind: 'error-rate-bound', margin: slo.max, quantity: 'canary error rate', result: test.result(), feed };
  }
  // sequentialAlpha gives none for p100; the check narrows the type for SHARE_ABOVE.
  if (slo.kind === 'latency' && slo.percentile !== 'max') {
    const share = SHARE_ABOVE[slo.percentile];
    const test = createSequentialThresholdTest({ alpha, bound: share });
    const limitMs = slo.max;
    const feed = (c: ArrivalCounts) => test.update({ requests: c.latency.total, errors: countAbove(c.latency, limitMs) });
    return { ...base, kind: 'latency-bound', margin: share, limitMs, quantity: `share of canary requests slower than ${limitMs} ms`, result: test.result(), feed };
  }
  return undefined;
}

/** The step's tests, or undefined when the analysis is fixed or no SLO gets one. */
export function createSequentialSide(options: SequentialSideOptions): SequentialSide | undefined {
  if (options.analysis.mode !== 'sequential') return undefined;
  const ctx: EntryContext = { margins: options.analysis.nonInferiority ?? DEFAULT_NON_INFERIORITY, horizon: Math.max(1, options.horizon ?? 3600) };
  const prom = options.prometheus;
  // In the SLOs' order, for the checks and traces; sequentialAlpha decides which SLOs get a test, as in validate and plan.
  const entries: (Entry | PolledEntry)[] = options.slos.flatMap((slo) => {
    const alpha = sequentialAlpha(slo, options.analysis);
    if (alpha === undefined) return [];
    return entryOf(slo, alpha, ctx) ?? (prom && prometheusEntry(slo, alpha, prom)) ?? [];
  });
  if (entries.length === 0) return undefined;
  const polled = entries.filter((e): e is PolledEntry => 'reader' in e);
  const fed = entries.filter((e): e is Entry => !('reader' in e));
  const { stable, canary } = options;
  const batches = createArrivalBatches([stable, canary]);
  const controller = new AbortController();
  let stopped: { why: EndedEarly; event: string } | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  // The last look, at the step's end: a decision there is reported, but the step did not end early.
  let finishing = false;
  let outcome: SequentialOutcome | undefined;
  let failure: unknown;
  // Aborted by close: stops the polling and drops a read in flight.
  const polling = new AbortController();

  function close(): void {
    clearInterval(timer);
    timer = undefined;
    polling.abort();
  }

  const elapsed = () => Math.max(0, options.now() - options.startedAt) / 1000;

  function addPoint(e: TestRecord, t: number): void {
    const r = e.result;
    e.points.push({
      t: Math.round(t * 1000) / 1000,
      eValue: r.eValue,
      ...(r.nonInferiorityEValue !== undefined ? { nonInferiorityEValue: r.nonInferiorityEValue } : {}),
      samples: { ...r.samples },
      // JSON has no infinity: a sequence still open at an end (the latency ratio past its grid) or empty is left out of the look.
      ...(r.interval && Number.isFinite(r.interval.lower) && Number.isFinite(r.interval.upper) ? { lower: r.interval.lower, upper: r.interval.upper } : {}),
    });
  }

  function fail(err: unknown): void {
    failure = err;
    close();
    controller.abort(err);
  }

  function look(): void {
    if (stopped) return;
    const batch = batches.take();
    const t = elapsed();
    for (const e of fed) {
      e.result = e.feed(batch.get(canary)!, batch.get(stable)!);
      addPoint(e, t);
    }
    judge(t);
  }

  async function poll(): Promise<void> {
    if (stopped || polling.signal.aborted || !prom) return;
    const got = await readPolled(polled, options.now(), polling.signal, prom.warn);
    // The tests in `got` were fed (before close or finish: reads in flight then are dropped), so
    // each gets its look, one per update, as the crossing's index counts them; judge does nothing once stopped.
    const t = elapsed();
    for (const e of got) addPoint(e, t);
    if (got.length) judge(t);
  }

  async function pollEvery(everyMs: number): Promise<void> {
    while (!polling.signal.aborted && !stopped) {
      await poll();
      await sleep(everyMs, undefined, { signal: polling.signal }).catch(() => undefined);
    }
  }

  function judge(t: number): void {
    if (!options.stopping || finishing || stopped) return;
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
    poll,
    start(everyMs = 1000) {
      if (timer !== undefined || polling.signal.aborted) return;
      timer = setInterval(() => {
        try {
          look();
        } catch (err) {
          fail(err);
        }
      }, everyMs);
      if (prom && polled.length) pollEvery(prom.spec.scrapeInterval).catch(fail);
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
