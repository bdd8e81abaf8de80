/**
 * The sequential figures of bench/stats (issue 22): one simulated canary step, second by second,
 * judged three ways on the same draws —
 * - the sequential tests (src/analysis/sequential/) fed each second's counts, each at its own α:
 *   relative error rate (canary against stable), absolute error rate (canary against a 1% bound)
 *   and latency (canary against stable, no slowdown allowed, bets tuned to the step's length):
 *   when, if ever, each decides "regression" (time to rollback, in seconds; requests per version
 *   are seconds × the rate);
 * - the fixed tests (relative-latency, relative-error-rate with their defaults) at the step's end: the
 *   power today;
 * - the same fixed tests **peeked at every `peekEvery` seconds**, stopping at the first fail: what
 *   continuous monitoring does to a test built for one look (A/A false alarms well above its level);
 * - when the canary's error rate differs, an **oracle**: the SPRT of the same conditional tables at
 *   the TRUE odds ratio against 1 (Wald's likelihood ratio, crossing 1/α). No real test knows the
 *   true odds ratio; among tests with its error bounds this one stops soonest on average
 *   (Wald–Wolfowitz), so it is the bound the relative error-rate test can be compared with.
 * Latencies are drawn with replacement from a captured population (as simulate.ts does), scaled by
 * `slowdown`; failures are Bernoulli per request.
 */
import { evaluateChecks } from '../../src/analysis/evaluate.js';
import { createSequentialErrorRateTest } from '../../src/analysis/sequential/error-rate.js';
import { hypergeometricTable } from '../../src/analysis/sequential/odds-ratio-e-process.js';
import { createSequentialLatencyTest } from '../../src/analysis/sequential/latency.js';
import { createSequentialThresholdTest } from '../../src/analysis/sequential/threshold.js';
import { sloSchema } from '../../src/experiment/schema.js';
import { createBucketCounts, recordMicros, sealCounts } from '../../src/load/bucket-counts.js';
import { createSampleRecorder } from '../../src/load/recorder.js';
import { createSeededRandom } from '../../src/seeded-random.js';

/** One simulated step. */
export interface SequentialCase {
  /** Requests per version per second. */
  perSecond: number;
  /** The step's length, s. */
  seconds: number;
  /** Canary latencies are drawn × this. @default 1 */
  slowdown?: number;
  /** The stable's failure probability per request. @default 0 */
  stableErrorRate?: number;
  /** The canary's. @default the stable's */
  canaryErrorRate?: number;
  /** Peek the fixed tests every this many seconds (1: every second; 0: never). @default 1 */
  peekEvery?: number;
  /** Each sequential test's α (and 1 − the fixed tests' confidence is theirs: 0.98). @default 0.01 */
  alpha?: number;
  /** Trials. */
  trials: number;
  /** PRNG seed. */
  seed: number;
}

/** The sequential tests simulated. */
export const SEQUENTIAL_TESTS = ['relative error rate', 'error rate ≤ 1%', 'latency'] as const;

/** One of them. */
export type SequentialTestName = (typeof SEQUENTIAL_TESTS)[number];

/** What happened over the trials, per rule. */
export interface SequentialOutcome {
  /** Trials run. */
  trials: number;
  /** Per sequential test: the second at which it decided regression, per trial that it did. */
  rollbackSeconds: Record<SequentialTestName, number[]>;
  /** The second at which any of them did, per trial that any did (the step's rollback). */
  anyRollbackSeconds: number[];
  /** The oracle's crossing second per trial that crossed (empty when the rates are equal: it is then A/A and never bets). */
  oracleRollbackSeconds: number[];
  /** Trials in which a fixed test (relative error rate or relative latency) failed at the step's end. */
  fixedAlarmsAtEnd: number;
  /** Trials in which the fixed relative-latency test failed at the step's end. */
  fixedLatencyAtEnd: number;
  /** Trials in which the fixed relative-error-rate test failed at the step's end. */
  fixedErrorRateAtEnd: number;
  /** Trials in which a fixed test failed at any peek. */
  fixedAlarmsPeeked: number;
}

const STABLE = 'v1';
const CANARY = 'v2';
// No slowdown allowed, like the sequential latency test here: both test "is the canary slower at all".
const FIXED = [sloSchema.parse({ kind: 'relative-latency', allowedIncrease: '0%' }), sloSchema.parse({ kind: 'relative-error-rate' })];

/** Runs one case over `population` (latencies, ms). */
export function simulateSequential(population: readonly number[], c: SequentialCase): SequentialOutcome {
  const random = createSeededRandom(c.seed);
  const draw = () => population[Math.floor(random() * population.length)]!;
  const slowdown = c.slowdown ?? 1;
  const pS = c.stableErrorRate ?? 0;
  const pC = c.canaryErrorRate ?? pS;
  const peekEvery = c.peekEvery ?? 1;
  const alpha = c.alpha ?? 0.01;
  // The true odds ratio of the canary's error rate over the stable's (0 in log: A/A, no oracle).
  const logPsiTrue = pC === pS || pS <= 0 || pC >= 1 ? 0 : Math.log((pC / (1 - pC)) / (pS / (1 - pS)));
  const out: SequentialOutcome = {
    trials: c.trials,
    rollbackSeconds: { 'relative error rate': [], 'error rate ≤ 1%': [], latency: [] },
    anyRollbackSeconds: [],
    oracleRollbackSeconds: [],
    fixedAlarmsAtEnd: 0,
    fixedLatencyAtEnd: 0,
    fixedErrorRateAtEnd: 0,
    fixedAlarmsPeeked: 0,
  };
  for (let trial = 0; trial < c.trials; trial++) {
    const recorder = createSampleRecorder();
    const errors = createSequentialErrorRateTest({ alpha });
    const absolute = createSequentialThresholdTest({ alpha, bound: 0.01 });
    const latency = createSequentialLatencyTest({ alpha, horizon: c.perSecond * c.seconds, seed: c.seed * 7919 + trial });
    const crossed = new Set<SequentialTestName>();
    let oracleLogLr = 0;
    let oracleCrossed = false;
    let peekedAlarm = false;
    for (let s = 0; s < c.seconds; s++) {
      const second = { canary: { cell: createBucketCounts(), errors: 0 }, stable: { cell: createBucketCounts(), errors: 0 } };
      for (let i = 0; i < c.perSecond; i++) {
        for (const [version, arm, factor, p] of [[STABLE, second.stable, 1, pS], [CANARY, second.canary, slowdown, pC]] as const) {
          const latencyMs = draw() * factor;
          const failed = random() < p;
          if (failed) arm.errors++;
          recordMicros(arm.cell, Math.max(1, Math.round(latencyMs * 1000)));
          recorder.record({ time: s * 1000 + (i * 1000) / c.perSecond, latencyMs, status: failed ? 500 : 200, version });
        }
      }
      sealCounts(second.canary.cell);
      sealCounts(second.stable.cell);
      const decisions: Record<SequentialTestName, string> = {
        'relative error rate': errors.update({ canary: { requests: c.perSecond, errors: second.canary.errors }, stable: { requests: c.perSecond, errors: second.stable.errors } }).decision,
        'error rate ≤ 1%': absolute.update({ requests: c.perSecond, errors: second.canary.errors }).decision,
        latency: latency.update({ canary: second.canary.cell, stable: second.stable.cell }).decision,
      };
      if (logPsiTrue !== 0 && !oracleCrossed) {
        const table = hypergeometricTable(second.canary.errors, c.perSecond, second.stable.errors, c.perSecond);
        if (table) oracleLogLr += second.canary.errors * logPsiTrue - (table.logPartition(logPsiTrue) - table.logPartition(0));
        if (oracleLogLr >= Math.log(1 / alpha)) {
          oracleCrossed = true;
          out.oracleRollbackSeconds.push(s + 1);
        }
      }
      for (const name of SEQUENTIAL_TESTS) {
        if (decisions[name] !== 'regression' || crossed.has(name)) continue;
        if (crossed.size === 0) out.anyRollbackSeconds.push(s + 1);
        crossed.add(name);
        out.rollbackSeconds[name].push(s + 1);
      }
      const last = s === c.seconds - 1;
      const peek = peekEvery > 0 && (s + 1) % peekEvery === 0;
      if ((peek && !peekedAlarm) || last) {
        const [latencyFailed, errorFailed] = fixedFails(recorder, (s + 1) * 1000);
        const failed = latencyFailed || errorFailed;
        if (peek && failed) peekedAlarm = true;
        if (last && failed) out.fixedAlarmsAtEnd++;
        if (last && latencyFailed) out.fixedLatencyAtEnd++;
        if (last && errorFailed) out.fixedErrorRateAtEnd++;
      }
    }
    if (peekedAlarm) out.fixedAlarmsPeeked++;
    recorder.close();
  }
  return out;
}

/** Whether the fixed relative-latency and relative-error-rate tests fail on the step so far. */
function fixedFails(recorder: ReturnType<typeof createSampleRecorder>, toMs: number): [boolean, boolean] {
  const stats = recorder.stats(0, toMs);
  const distributions = new Map([STABLE, CANARY].map((v) => [v, recorder.distribution(v)]));
  const checks = evaluateChecks(FIXED, stats, { stable: STABLE, canary: CANARY, minSamples: 20, distributions });
  return [checks[0]!.verdict === 'fail', checks[1]!.verdict === 'fail'];
}
