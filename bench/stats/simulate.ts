/**
 * The simulation behind bench/stats: draws canary and stable samples (with replacement) from a
 * captured latency distribution, optionally slows the canary by a factor, folds both into the real
 * sample recorder and judges them with the real relative-latency evaluator — and with the naive
 * rule many pipelines use, "canary p99 > stable p99 × 1.1" — counting how often each raises an alarm.
 */
import { evaluateChecks } from '../../src/analysis/evaluate.js';
import { createSampleRecorder } from '../../src/load/recorder.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import { sloSchema } from '../../src/experiment/schema.js';

/** One simulated configuration. */
export interface SimulationCase {
  /** Requests per version per trial. */
  n: number;
  /** Canary latencies are the drawn values × this (1 = A/A, 1.1 = every percentile 10% slower). */
  slowdown: number;
  /** Then this much is added to each canary latency, ms (e.g. 10% of the median: one more fixed-cost call). @default 0 */
  addMs?: number;
  /** Trials. */
  trials: number;
  /** PRNG seed. */
  seed: number;
}

/** How often each rule raised an alarm. */
export interface SimulationOutcome {
  /** Trials run. */
  trials: number;
  /** Trials in which relative-latency (defaults: allowed +5%, confidence 0.98) failed. */
  relativeAlarms: number;
  /** Trials in which canary p99 > stable p99 × 1.1. */
  naiveAlarms: number;
  /** Mean time to judge one trial with relative-latency (recorder distribution + tests), ms. */
  relativeJudgeMs: number;
}

const STABLE = 'v1';
const CANARY = 'v2';
const relativeLatency = sloSchema.parse({ kind: 'relative-latency' });

/** The naive rule: the canary's p99 above 1.1 × the stable's. */
export function naiveAlarm(canaryP99: number, stableP99: number): boolean {
  return canaryP99 > stableP99 * 1.1;
}

/** Runs one case over `population` (latencies in ms). */
export function simulate(population: readonly number[], c: SimulationCase): SimulationOutcome {
  const random = createSeededRandom(c.seed);
  const draw = () => population[Math.floor(random() * population.length)]!;
  const addMs = c.addMs ?? 0;
  let relativeAlarms = 0;
  let naiveAlarms = 0;
  let judgeMs = 0;
  for (let t = 0; t < c.trials; t++) {
    const recorder = createSampleRecorder();
    for (let i = 0; i < c.n; i++) {
      recorder.record({ time: i, latencyMs: draw(), status: 200, version: STABLE });
      recorder.record({ time: i, latencyMs: draw() * c.slowdown + addMs, status: 200, version: CANARY });
    }
    const stats = recorder.stats(0, c.n);
    const p99 = (v: string) => stats.find((s) => s.version === v)!.latency.p99!;
    if (naiveAlarm(p99(CANARY), p99(STABLE))) naiveAlarms++;
    const started = performance.now();
    const distributions = new Map([STABLE, CANARY].map((v) => [v, recorder.distribution(v)]));
    const [check] = evaluateChecks([relativeLatency], stats, { stable: STABLE, canary: CANARY, minSamples: 20, distributions });
    judgeMs += performance.now() - started;
    if (check!.verdict === 'fail') relativeAlarms++;
    recorder.close();
  }
  return { trials: c.trials, relativeAlarms, naiveAlarms, relativeJudgeMs: judgeMs / c.trials };
}
