/**
 * The k6 load generator (registry name "k6"): runs the k6 the user installed (found on the
 * context's PATH at preflight; mesh-exp never installs it nor runs another engine in its place).
 *
 * Each step's load window is one `k6 run` of either the script `export-k6` prints (whatever
 * `generateK6Script` returns, written to the run directory as `k6-script.js`) or the user's
 * `load.script`, with the step's target, rate (with stages: the peak) and duration given as
 * MESH_EXP_TARGET, MESH_EXP_RATE and MESH_EXP_DURATION, and the iterations earlier steps ran as
 * MESH_EXP_ITERATION_OFFSET (`-e`, which the generated script reads: its request and row choices
 * continue from step to step, as mesh-exp's picker's do). k6 writes its
 * `--out json` lines to its stdout, a pipe this process reads into the existing ingester
 * (`json-ingest.ts`), so memory stays bounded; and, as a Go program writing to fd 1, k6 dies of
 * SIGPIPE on its next flush if this process is killed. k6 leads its own process group, tracked
 * in `processGroups` while it lives and killed on every way out (abort, a failing sink, an error).
 *
 * Exit codes (`k6-exit.ts`): 0 and 99 (thresholds crossed: noted, mesh-exp's SLOs judge) are
 * measurements; anything else is a RuntimeError quoting k6's last stderr lines.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { RuntimeError, UsageError } from '../../errors.js';
import { checkScenario } from '../../experiment/scenario-check.js';
import { peakRateOf } from '../rate-profile.js';
import type { Scenario } from '../../experiment/scenario.js';
import type { Experiment } from '../../experiment/schema.js';
import { killGroup } from '../external-process.js';
import type { LoadGenerator, LoadPlan, LoadSummary, Sample, SampleSink } from '../types.js';
import { createStderrTail } from '../vegeta/stderr-tail.js';
import { findK6, type FoundK6 } from './find-k6.js';
import { ingestK6Json } from './json-ingest.js';
import { k6ExitMeaning } from './k6-exit.js';
import { LATENCY_METRIC, VERSION_TAG } from './k6-names.js';
import { generateK6Script } from './script.js';

/** File name of the generated script in the run directory. */
export const K6_SCRIPT_FILE = 'k6-script.js';

/** Options of {@link createK6Generator} (a registry factory's options satisfy it). */
export interface K6GeneratorOptions {
  /** Environment: its PATH is searched for k6, and k6 runs with it (its K6_* settings, what a user script reads). @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Process groups of the run (the context's): k6's group is in it while k6 lives. @default none */
  processGroups?: Set<number>;
  /** The experiment run, its directory and its checked scenario: the script comes from its load section (`load.script`, else generated). @default none */
  experiment?: { experiment: Experiment; dir: string; scenario?: Scenario };
  /** The run directory, opened on first need: where the generated script is written. @default a new temporary directory */
  runDir?: () => Promise<string>;
  /** The k6 to run. @default found on PATH by `findK6` at preflight */
  k6?: FoundK6;
}

/**
 * `k6 run`'s arguments for one step of `plan` running `script` (exported for the tests).
 * `iterations` is how many iterations earlier steps ran: the generated script numbers this
 * step's from there, so its request and row choices continue as mesh-exp's picker's do.
 */
export function k6RunArgs(plan: LoadPlan, script: string, iterations = 0): string[] {
  // With stages the generated script's rate is the profile's peak (MESH_EXP_RATE scales every stage).
  const rate = peakRateOf(plan);
  const env: Record<string, string> = {
    MESH_EXP_TARGET: plan.url,
    MESH_EXP_RATE: String(rate),
    MESH_EXP_DURATION: `${Math.max(1, Math.round(plan.durationMs))}ms`,
    MESH_EXP_ITERATION_OFFSET: String(iterations),
    // For a user script: what the generated script takes from the experiment itself.
    MESH_EXP_VERSION_HEADER: plan.versionHeader,
    ...(plan.hostHeader !== undefined ? { MESH_EXP_HOST: plan.hostHeader } : {}),
  };
  return [
    'run',
    // No progress bars, no banner, no end-of-test summary: stdout carries only the JSON lines.
    '--quiet',
    '--no-color',
    '--summary-mode=disabled',
    '--log-output=stderr',
    '--out',
    'json=-',
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    script,
  ];
}

/** The scenario of an experiment loaded without one (its files read and checked now). */
async function scenarioOf(experiment: Experiment, dir: string): Promise<Scenario> {
  const check = await checkScenario(experiment.spec.load, { dir, displayDir: dir });
  if (check.scenario) return check.scenario;
  const first = check.here[0]?.message ?? check.there[0]?.message ?? 'unknown problem';
  throw new UsageError(`the load's requests or data files have problems: ${first}`, { hint: 'run mesh-exp validate on the experiment' });
}

/** Creates the k6 generator. */
export function createK6Generator(options: K6GeneratorOptions = {}): LoadGenerator {
  let found: Promise<FoundK6> | undefined;
  const locate = (): Promise<FoundK6> => (found ??= options.k6 !== undefined ? Promise.resolve(options.k6) : findK6({ env: options.env ?? {} }));
  const userScript = options.experiment?.experiment.spec.load.script;
  // Generated at preflight, so a script that cannot be written (a UsageError) stops the run before any change.
  let generated: string | undefined;
  // Iterations of the earlier steps (each step is a new k6 process, numbering from 0).
  let iterations = 0;
  let scriptPath: Promise<string> | undefined;
  const script = (): Promise<string> =>
    (scriptPath ??= (async () => {
      if (userScript !== undefined) return path.resolve(options.experiment!.dir, userScript);
      const dir = options.runDir ? await options.runDir() : await mkdtemp(path.join(tmpdir(), 'mesh-exp-k6-'));
      const file = path.join(dir, K6_SCRIPT_FILE);
      await writeFile(file, generated ?? '', { mode: 0o644 });
      return file;
    })());

  async function preflight(): Promise<void> {
    await locate();
    if (userScript === undefined && options.experiment) {
      const { experiment, dir } = options.experiment;
      generated = generateK6Script(experiment, { scenario: options.experiment.scenario ?? (await scenarioOf(experiment, dir)) });
    }
  }

  async function run(plan: LoadPlan, onSample: SampleSink, signal: AbortSignal): Promise<LoadSummary> {
    const summary: LoadSummary = { scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: 0, aborted: 0 };
    if (generated === undefined && userScript === undefined) await preflight();
    const { file } = await locate();
    const scriptFile = await script();
    if (signal.aborted || plan.durationMs <= 0) return summary;
    const started = performance.now();
    const child = execa(file, k6RunArgs(plan, scriptFile, iterations), {
      detached: true,
      buffer: false,
      reject: false,
      extendEnv: false,
      env: { ...options.env },
      cwd: path.dirname(scriptFile),
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const pgid = child.pid;
    if (pgid !== undefined) options.processGroups?.add(pgid);
    const tail = createStderrTail(child.stderr);
    const kill = (): void => {
      if (pgid !== undefined && child.exitCode === null && child.signalCode === null) killGroup(pgid);
    };
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      kill();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const sink = (sample: Sample): void => {
      summary.scheduled++;
      if (sample.error === undefined) summary.completed++;
      else if (sample.error === 'dropped') summary.dropped++;
      else summary.failed++;
      onSample(sample);
    };
    try {
      child.stdout.on('error', () => {});
      const stats = await ingestK6Json(child.stdout, { onSample: sink });
      const result = await child;
      if (aborted) return summary;
      const meaning = k6ExitMeaning(result.exitCode ?? null, result.signal ?? null);
      if (meaning.kind === 'error') {
        const text = tail.text();
        throw new RuntimeError(`${meaning.reason}${text ? `; its last stderr lines:\n${text}` : ' (no stderr)'}`, {
          hint: userScript !== undefined ? `run \`k6 run ${userScript}\` by hand to see the whole error; or use load.generator: vegeta / builtin` : 'check the load section (url, rate, timeout); or use load.generator: vegeta / builtin',
        });
      }
      // A script that measures nothing mesh-exp can read would otherwise judge every step on "no data".
      if (stats.samples === 0 && stats.points > 0 && (plan.rate * plan.durationMs) / 1000 >= 1) {
        throw new RuntimeError(
          `k6 wrote ${stats.points} metric points but none of the ${LATENCY_METRIC} Trend that mesh-exp reads: a load.script must add each request's latency to new Trend('${LATENCY_METRIC}', true), tagged ${VERSION_TAG} (the ${plan.versionHeader} response header) and status`,
          { hint: 'see the README, "k6 (bring your own)"' },
        );
      }
      if (meaning.note !== undefined) summary.notes = [meaning.note];
      return summary;
    } finally {
      signal.removeEventListener('abort', onAbort);
      kill();
      await Promise.allSettled([child]);
      if (pgid !== undefined) options.processGroups?.delete(pgid);
      summary.elapsedMs = performance.now() - started;
      // Dropped iterations never ran, so k6 gave them no number.
      iterations += summary.completed + summary.failed;
    }
  }

  return { name: 'k6', preflight, run };
}
