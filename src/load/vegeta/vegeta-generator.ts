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
 */
import { kill } from 'node:process';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { RuntimeError } from '../../errors.js';
import type { LoadGenerator, LoadPlan, LoadSummary, SampleSink } from '../types.js';
import { findVegeta } from './find-vegeta.js';
import { parseVegetaResult } from './vegeta-result.js';
import { vegetaRate, vegetaTargetChunk } from './vegeta-target.js';
import { createStderrTail } from './stderr-tail.js';

/** Options of {@link createVegetaGenerator}. */
export interface VegetaGeneratorOptions {
  /** The vegeta binary. @default found by `findVegeta` (bundled under .tools, else PATH) at preflight */
  binary?: string;
  /** Environment whose PATH `findVegeta` searches (vegeta itself runs with an empty one). @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Process groups of the run (the context's): each child's group is in it while the child lives. @default none */
  processGroups?: Set<number>;
}

/** The attack's arguments for `plan` (exported for the tests). */
export function attackArgs(plan: LoadPlan): string[] {
  return [
    'attack',
    '-lazy',
    '-format=json',
    `-rate=${vegetaRate(plan.rate)}`,
    `-duration=${Math.max(1, Math.round(plan.durationMs))}ms`,
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

  function spawn(file: string, args: string[]): ResultPromise<{ detached: true; buffer: false; reject: false }> {
    // No environment: vegeta would otherwise honour HTTP(S)_PROXY, which the built-in generator does not.
    const child = execa(file, args, { detached: true, buffer: false, reject: false, extendEnv: false, env: {}, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    if (child.pid !== undefined) options.processGroups?.add(child.pid);
    return child;
  }

  async function run(plan: LoadPlan, onSample: SampleSink, signal: AbortSignal): Promise<LoadSummary> {
    const file = await locate();
    const summary: LoadSummary = { scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: 0, aborted: 0 };
    // vegeta reads duration 0 as "forever".
    if (signal.aborted || plan.durationMs <= 0) return summary;
    const started = performance.now();
    const attack = spawn(file, attackArgs(plan));
    const encode = spawn(file, ['encode', '--to', 'json']);
    const children = [attack, encode];
    const tails = [createStderrTail(attack.stderr), createStderrTail(encode.stderr)];
    const killAll = (): void => {
      for (const c of children) {
        if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) continue;
        try {
          kill(-c.pid, 'SIGKILL');
        } catch {
          // ESRCH: already gone.
        }
      }
    };
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      killAll();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    // Targets written as vegeta reads (back-pressure bounds memory): the plan's one request, or
    // the picker's choices, each naming its request in the URL fragment.
    let feeding = true;
    const feed = (): void => {
      while (feeding && attack.stdin.write(vegetaTargetChunk(plan, 32)));
    };
    attack.stdin.on('error', () => (feeding = false)); // EPIPE once the attack is over
    attack.stdin.on('drain', feed);
    attack.stdout.on('error', () => {});
    encode.stdin.on('error', () => {});
    attack.stdout.pipe(encode.stdin);
    feed();

    const versionHeader = plan.versionHeader.toLowerCase();
    const names = plan.picker?.names ?? [];
    try {
      for await (const line of createInterface({ input: encode.stdout, crlfDelay: Infinity })) {
        if (line.trim() === '') continue;
        let sample;
        try {
          sample = parseVegetaResult(line, versionHeader, names);
        } catch (err) {
          throw new RuntimeError(`vegeta wrote a line mesh-exp cannot read: ${(err as Error).message}`, { cause: err });
        }
        summary.scheduled++;
        if (sample.error === undefined) summary.completed++;
        else summary.failed++;
        onSample(sample);
      }
      const results = await Promise.all(children);
      if (!aborted) {
        results.forEach((r, i) => {
          if (r.exitCode === 0) return;
          const why = r.exitCode !== undefined ? `exited with code ${r.exitCode}` : r.signal !== undefined ? `was killed by ${r.signal}` : r.shortMessage;
          const tail = tails[i]!.text();
          throw new RuntimeError(`vegeta ${i === 0 ? 'attack' : 'encode'} ${why}${tail ? `; its last stderr lines:\n${tail}` : ' (no stderr)'}`, {
            hint: 'check the load section (url, rate, timeout); or use load.generator: builtin',
          });
        });
      }
      return summary;
    } finally {
      feeding = false;
      signal.removeEventListener('abort', onAbort);
      killAll();
      await Promise.allSettled(children);
      for (const c of children) if (c.pid !== undefined) options.processGroups?.delete(c.pid);
      summary.elapsedMs = performance.now() - started;
    }
  }

  return { name: 'vegeta', preflight: async () => void (await locate()), run };
}
