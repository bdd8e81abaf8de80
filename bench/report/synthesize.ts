/**
 * A RunResult of a one-hour canary at 1,000 req/s, built the way the runner builds one: a real
 * experiment (parsed by the spec), 3.6 million synthetic samples folded into the real sample
 * recorder step by step, the real SLO evaluation, decision and summary. Only the samples are
 * made up (seeded, so every run of the benchmark renders the same report).
 */
import { decide } from '../../src/analysis/decide.js';
import { evaluateChecks } from '../../src/analysis/evaluate.js';
import { summarizeRun } from '../../src/analysis/summary.js';
import { createSampleRecorder } from '../../src/load/recorder.js';
import { createSeededRandom } from '../../src/seeded-random.js';
import type { RunResult, StepResult } from '../../src/model/result.js';
import { stepTimeline, withSubsets } from '../../src/runner/step-runner.js';
import { validateExperimentText } from '../../src/experiment/validate.js';

/** The experiment: six 10-minute steps to 100%, four SLOs, 1,000 req/s. */
export const BENCH_EXPERIMENT = `apiVersion: mesh-exp.dev/v1alpha1
kind: Experiment
metadata:
  name: reviews-canary-hour
  description: One hour, six steps, 1,000 requests per second (synthesized for bench/report).
spec:
  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }
  traffic:
    shift: { steps: [5, 10, 25, 50, 75, 100], interval: 10m }
  load: { path: /reviews/1, rate: 1000 }
  slos:
    - { kind: error-rate, subject: canary, max: 1% }
    - { kind: latency, subject: canary, percentile: p99, max: 250ms }
    - { kind: latency, subject: all, percentile: p95, max: 100ms }
    - { kind: error-rate, subject: all, max: 2% }
  analysis: { minSamples: 100 }
  local: { manifests: [manifests/] }
`;

/** Latency model per version: lognormal median and spread; error and timeout shares. */
const MODEL = {
  v1: { medianMs: 6, sigma: 0.55, errorRate: 0.001 },
  v2: { medianMs: 8, sigma: 0.6, errorRate: 0.003 },
} as const;
const TIMEOUT_SHARE = 0.0001;

/** Options of {@link synthesizeRun}. */
export interface SynthesizeOptions {
  /** Requests per second. @default 1000 */
  rate?: number;
  /** Seconds per step (six steps). @default 600 */
  stepSeconds?: number;
  /** Start of the run, epoch ms. @default 2026-01-05T09:00:00Z */
  startedAt?: number;
  /** Seed of the samples (a game day's experiments each get their own). @default 20260105 */
  seed?: number;
}

/** A synthesized run, and the time its recorders' `timeline()` calls took (ms; the rest is folding samples). */
export interface SynthesizedRun {
  result: RunResult;
  timelineMs: number;
}

/** Builds the RunResult; `stepSeconds` × 6 seconds of samples at `rate`. */
export function synthesizeRun(options: SynthesizeOptions = {}): RunResult {
  return synthesizeRunTimed(options).result;
}

/** {@link synthesizeRun}, also timing the timeline as the runner computes it at the end of each step. */
export function synthesizeRunTimed(options: SynthesizeOptions = {}): SynthesizedRun {
  const rate = options.rate ?? 1000;
  const stepMs = (options.stepSeconds ?? 600) * 1000;
  const startedAt = options.startedAt ?? Date.UTC(2026, 0, 5, 9, 0, 0);
  const { experiment, problems } = validateExperimentText(BENCH_EXPERIMENT, 'bench.yaml');
  if (!experiment) throw new Error(`bench experiment invalid: ${problems.map((p) => p.message).join('; ')}`);
  const { spec } = experiment;
  const random = createSeededRandom(options.seed ?? 20260105);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const events: RunResult['events'] = [{ time: startedAt, message: 'saved VirtualService default/reviews to the journal; 6 step(s) planned' }];
  const steps: StepResult[] = [];
  const weights = spec.traffic.shift!.steps!;
  let timelineMs = 0;
  let time = startedAt + 50;
  for (const [index, weight] of weights.entries()) {
    const label = `canary ${weight}%`;
    events.push({ time: time - 5, message: `step ${index + 1}/6: applied ${label}` });
    const recorder = createSampleRecorder();
    const start = time;
    for (let i = 0; i < (stepMs / 1000) * rate; i++) {
      const at = start + (i * 1000) / rate;
      if (random() < TIMEOUT_SHARE) {
        recorder.record({ time: at, latencyMs: 5000, status: 0, error: 'timeout' });
        continue;
      }
      const version = random() * 100 < weight ? 'v2' : 'v1';
      const m = MODEL[version];
      recorder.record({ time: at, latencyMs: m.medianMs * Math.exp(m.sigma * normal()), status: random() < m.errorRate ? 503 : 200, version });
    }
    const endedAt = start + stepMs;
    const stats = withSubsets(recorder.stats(start, endedAt), [spec.target.stable, spec.target.canary]);
    const checks = evaluateChecks(spec.slos, stats, { stable: spec.target.stable, canary: spec.target.canary, minSamples: spec.analysis.minSamples });
    const lastStep = index === weights.length - 1;
    const verdict = decide({ checks, failedSoFar: steps.at(-1)?.failedChecksTotal ?? 0, threshold: spec.analysis.threshold, noDataFails: spec.analysis.noDataFails, lastStep, promote: true });
    const t0 = performance.now();
    const timeline = stepTimeline(recorder, weights.length * stepMs, endedAt);
    timelineMs += performance.now() - t0;
    steps.push({ index, canaryWeight: weight, label, startedAt: start, endedAt, stats, ...timeline, checks, ...verdict });
    recorder.close();
    events.push({ time: endedAt + 10, message: `step ${index + 1}/6: ${checks.filter((c) => c.verdict === 'pass').length}/${checks.length} checks passed → ${verdict.decision}` });
    time = endedAt + 400;
    if (verdict.decision !== 'continue') break;
  }
  const outcome = steps.at(-1)!.decision === 'promote' ? 'promoted' : 'rolled-back';
  events.push({ time: time - 300, message: outcome === 'promoted' ? 'promoted: canary at 100%; experiment routes removed' : 'restored the original VirtualService (rollback)' });
  const result: RunResult = {
    schemaVersion: 1,
    name: experiment.metadata.name,
    outcome,
    summary: summarizeRun({ outcome, steps, restored: true }),
    exitCode: outcome === 'promoted' ? 0 : 1,
    startedAt,
    endedAt: time,
    steps,
    restored: true,
    experiment,
    environment: { generator: 'builtin', meshExp: '0.1.0', node: process.version, provider: 'local', meshUrl: 'http://127.0.0.1:15001' },
    events,
  };
  return { result, timelineMs };
}
