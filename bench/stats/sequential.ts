/**
 * The sequential figures of bench/stats (issue 22), first cut: one simulated canary step, second by
 * second, judged three ways on the same draws —
 * - the sequential tests (src/analysis/sequential/) fed each second's counts: when, if ever, they
 *   decide "regression" (time to rollback, in requests per version and in seconds);
 * - the fixed tests (relative-latency, relative-error-rate with their defaults) at the step's end: the
 *   power today;
 * - the same fixed tests **peeked at every `peekEvery` seconds**, stopping at the first fail: what
 *   continuous monitoring does to a test built for one look (A/A false alarms well above its level).
 * Latencies are drawn with replacement from a captured population (as simulate.ts does), scaled by
 * `slowdown`; failures are Bernoulli per request. Not wired into run.ts / report.ts yet.
 */
import { evaluateChecks } from '../../src/analysis/evaluate.js';
import { createSequentialErrorRateTest } from '../../src/analysis/sequential/error-rate.js';
import { createSequentialLatencyTest } from '../../src/analysis/sequential/latency.js';
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
  /** The sequential tests' α. @default 0.01 */
  alpha?: number;
  /** Trials. */
  trials: number;
  /** PRNG seed. */
  seed: number;
}

/** What happened over the trials, per rule. */
export interface SequentialOutcome {
  /** Trials run. */
  trials: number;
  /** Per trial where the sequential tests (either) decided regression: the second it happened. */
  sequentialRollbackSeconds: number[];
  /** …and the canary requests seen by then. */
  sequentialRollbackRequests: number[];
  /** Trials in which a fixed test failed at the step's end. */
  fixedAlarmsAtEnd: number;
  /** Trials in which a fixed test failed at any peek. */
  fixedAlarmsPeeked: number;
}

const STABLE = 'v1';
const CANARY = 'v2';
const FIXED = [sloSchema.parse({ kind: 'relative-latency' }), sloSchema.parse({ kind: 'relative-error-rate' })];

/** Runs one case over `population` (latencies, ms). */
export function simulateSequential(population: readonly number[], c: SequentialCase): SequentialOutcome {
  const random = createSeededRandom(c.seed);
  const draw = () => population[Math.floor(random() * population.length)]!;
  const slowdown = c.slowdown ?? 1;
  const pS = c.stableErrorRate ?? 0;
  const pC = c.canaryErrorRate ?? pS;
  const peekEvery = c.peekEvery ?? 1;
  const out: SequentialOutcome = { trials: c.trials, sequentialRollbackSeconds: [], sequentialRollbackRequests: [], fixedAlarmsAtEnd: 0, fixedAlarmsPeeked: 0 };
  for (let trial = 0; trial < c.trials; trial++) {
    const recorder = createSampleRecorder();
    const errors = createSequentialErrorRateTest({ alpha: c.alpha ?? 0.01 });
    const latency = createSequentialLatencyTest({ alpha: c.alpha ?? 0.01 });
    let rolledBack = false;
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
      const e = errors.update({ canary: { requests: c.perSecond, errors: second.canary.errors }, stable: { requests: c.perSecond, errors: second.stable.errors } });
      const l = latency.update({ canary: second.canary.cell, stable: second.stable.cell });
      if (!rolledBack && (e.decision === 'regression' || l.decision === 'regression')) {
        rolledBack = true;
        out.sequentialRollbackSeconds.push(s + 1);
        out.sequentialRollbackRequests.push((s + 1) * c.perSecond);
      }
      const last = s === c.seconds - 1;
      const peek = peekEvery > 0 && (s + 1) % peekEvery === 0;
      if ((peek && !peekedAlarm) || last) {
        const failed = fixedFails(recorder, (s + 1) * 1000);
        if (peek && failed) peekedAlarm = true;
        if (last && failed) out.fixedAlarmsAtEnd++;
      }
    }
    if (peekedAlarm) out.fixedAlarmsPeeked++;
    recorder.close();
  }
  return out;
}

function fixedFails(recorder: ReturnType<typeof createSampleRecorder>, toMs: number): boolean {
  const stats = recorder.stats(0, toMs);
  const distributions = new Map([STABLE, CANARY].map((v) => [v, recorder.distribution(v)]));
  const checks = evaluateChecks(FIXED, stats, { stable: STABLE, canary: CANARY, minSamples: 20, distributions });
  return checks.some((check) => check.verdict === 'fail');
}
