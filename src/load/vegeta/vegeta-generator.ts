/**
 * The vegeta load generator (registry name "vegeta"): drives the external vegeta binary, an
 * open-model engine too (it holds the arrival rate as long as `-max-workers` is unset, as here).
 *
 * `vegeta attack -lazy -format=json` reads one target per request from stdin (fed here as it
 * reads, so a long step never holds more than a pipe's worth), and its binary results are piped
 * into `vegeta encode --to json`, whose lines are read one by one into the run's sample sink.
 * Each child leads its own process group (detached), tracked in `processGroups` while it lives
 * and killed on every way out (abort, a failing sink, an error).
 *
 * Latency differs from the built-in generator's: vegeta measures from the ACTUAL send, so a send
 * delayed by the generator itself is not counted (coordinated omission is possible when vegeta
 * cannot keep up); the built-in generator measures from the INTENDED send. `plan.maxInFlight` is
 * not applied (a worker cap would turn vegeta into a closed model); no request is "dropped".
 *
 * A constant rate runs as ONE attack for the whole window. A ramping profile (`plan.profile`,
 * `load.stages`) runs as consecutive constant-rate attacks of 1 s each at the segment's mean rate
 * (`vegeta-segments.ts`: a staircase, with exact counts), each started on mesh-exp's own clock at
 * its offset from the window's start, so a slow process start never delays the next segment;
 * a segment still answering when the next starts simply overlaps it (the open model holds).
 */
import { execa } from 'execa';
import { killGroup } from '../external-process.js';
import type { LoadGenerator, LoadPlan, LoadSummary, Sample, SampleSink } from '../types.js';
import { findVegeta } from './find-vegeta.js';
import { runVegetaAttack, type VegetaChild } from './vegeta-attack.js';
import { segmentPacing, vegetaSegments } from './vegeta-segments.js';
import { vegetaRate, vegetaTargetChunk } from './vegeta-target.js';

/** Options of {@link createVegetaGenerator}. */
export interface VegetaGeneratorOptions {
  /** The vegeta binary. @default found by `findVegeta` (bundled under .tools, else PATH) at preflight */
  binary?: string;
  /** Environment whose PATH `findVegeta` searches (vegeta itself runs with an empty one). @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Process groups of the run (the context's): each child's group is in it while the child lives. @default none */
  processGroups?: Set<number>;
}

/**
 * The attack's arguments for `plan` (exported for the tests).
 * @param pacing `-rate` and `-duration`. @default the plan's constant rate over its whole duration
 */
export function attackArgs(plan: LoadPlan, pacing?: string[]): string[] {
  return [
    'attack',
    '-lazy',
    '-format=json',
    ...(pacing ?? [`-rate=${vegetaRate(plan.rate)}`, `-duration=${Math.max(1, Math.round(plan.durationMs))}ms`]),
    `-timeout=${Math.max(1, Math.round(plan.timeoutMs))}ms`,
    // Enough of the body to tell an Envoy fault abort ("fault filter abort"), no more.
    '-max-body=64',
    // HTTP/1.1 like the built-in generator; h2c is never tried against a plain http:// URL anyway.
    '-http2=false',
  ];
}

/** Creates the vegeta generator. */
export function createVegetaGenerator(options: VegetaGeneratorOptions = {}): LoadGenerator {
  let located: Promise<string> | undefined;
  const locate = (): Promise<string> => (located ??= options.binary !== undefined ? Promise.resolve(options.binary) : findVegeta({ env: options.env ?? {} }));

  async function run(plan: LoadPlan, onSample: SampleSink, signal: AbortSignal): Promise<LoadSummary> {
    const file = await locate();
    const summary: LoadSummary = { scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: 0, aborted: 0 };
    // vegeta reads duration 0 as "forever".
    if (signal.aborted || plan.durationMs <= 0) return summary;
    const started = performance.now();
    const live = new Set<VegetaChild>();
    const spawn = (args: string[]): VegetaChild => {
      // No environment: vegeta would otherwise honour HTTP(S)_PROXY, which the built-in generator does not.
      const child = execa(file, args, { detached: true, buffer: false, reject: false, extendEnv: false, env: {}, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
      const pid = child.pid;
      if (pid !== undefined) options.processGroups?.add(pid);
      live.add(child);
      void child.finally(() => {
        live.delete(child);
        if (pid !== undefined) options.processGroups?.delete(pid);
      });
      return child;
    };
    const killAll = (): void => {
      for (const c of live) {
        if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) killGroup(c.pid);
      }
    };
    let stopped = false;
    // The wait for the next segment's start, cut short when the run stops.
    let wake: (() => void) | undefined;
    const stop = (): void => {
      stopped = true;
      wake?.();
      killAll();
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, ms));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    signal.addEventListener('abort', stop, { once: true });
    const sample = (s: Sample): void => {
      summary.scheduled++;
      if (s.error === undefined) summary.completed++;
      else summary.failed++;
      onSample(s);
    };
    const attack = (args: string[], count?: number) =>
      runVegetaAttack({ spawn, args, targets: (n) => vegetaTargetChunk(plan, n), names: plan.picker?.names ?? [], versionHeader: plan.versionHeader.toLowerCase(), onSample: sample, aborted: () => stopped, ...(count !== undefined ? { count } : {}) });

    try {
      if (!plan.profile) {
        await attack(attackArgs(plan));
        return summary;
      }
      // A ramp: one attack per segment, each started at its offset on this clock (delays do not
      // add up), one timer at a time however long the window.
      const running = new Set<Promise<void>>();
      let failure: unknown;
      for (const segment of vegetaSegments(plan.profile, plan.durationMs)) {
        if (segment.count === 0) continue;
        await sleep(started + segment.startMs - performance.now());
        if (stopped) break;
        const one = attack(attackArgs(plan, segmentPacing(segment)), segment.count).catch((err: unknown) => {
          // The first failure ends the run: the other segments are stopped, not left running.
          failure ??= err;
          stop();
        });
        running.add(one);
        void one.finally(() => running.delete(one));
      }
      await Promise.all(running);
      if (failure !== undefined) throw failure;
      return summary;
    } catch (err) {
      stop();
      throw err;
    } finally {
      stop();
      signal.removeEventListener('abort', stop);
      await Promise.allSettled([...live]);
      summary.elapsedMs = performance.now() - started;
    }
  }

  return { name: 'vegeta', preflight: async () => void (await locate()), run };
}
