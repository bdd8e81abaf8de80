/**
 * Generates a complete k6 script (ESM) from a parsed experiment: its load section (requests with
 * their data rows, rate or stages, timeout), its step plan (one scenario per load window, or one
 * long ramping run with the steps' boundaries) and its SLOs (as k6 thresholds). Latency and
 * failures are tagged by the version that served each request (and by the request's name for a
 * scripted load), under the names `json-ingest.ts` reads back.
 */
import { planSteps, type StepPlan } from '../../experiment/step-plan.js';
import { resolveRequests, type Scenario } from '../../experiment/scenario.js';
import type { Experiment } from '../../experiment/schema.js';
import { PLACEHOLDER_SOURCE } from '../../input/placeholders.js';
import { VERSION } from '../../version.js';
import { UNKNOWN_VERSION } from '../recorder.js';
import {
  ERROR_CODE_TAG,
  ERRORS_METRIC,
  FAILED_METRIC,
  LATENCY_METRIC,
  REQUEST_TAG,
  STATUS_TAG,
  VERSION_TAG,
  canonicalHeaderKey,
} from './k6-names.js';
import { loadRateOf, peakRateOf } from '../rate-profile.js';
import { K6_REQUESTS_BODY } from './script-requests-template.js';
import { K6_SCRIPT_BODY } from './script-template.js';
import { k6Thresholds } from './thresholds.js';

/** One step of the load: `rate` for `loadMs`, then nothing for `idleMs` (until the step ends). */
export interface K6Step {
  /** Arrival rate, requests per second. */
  rate: number;
  /** How long load runs in the step, ms. */
  loadMs: number;
  /** Rest of the step without load, ms (the step is longer than `load.duration`). */
  idleMs: number;
}

/** Options of {@link generateK6Script}. */
export interface K6ScriptOptions {
  /**
   * Steps of the run. One step gives a constant-arrival-rate scenario, several a
   * ramping-arrival-rate one with a boundary per step.
   * @default the experiment's step plan at `load.rate` ({@link k6StepsFromPlan})
   */
  steps?: readonly K6Step[];
  /**
   * URL every request goes to, unless MESH_EXP_TARGET is set when k6 runs.
   * @default `load.url`; with provider local, `http://<local.listen><load.path>` when listen has a fixed port; else none (MESH_EXP_TARGET is then required)
   */
  url?: string;
  /**
   * The load's requests and data rows (`LoadedExperiment.scenario`), embedded in the script.
   * @default resolved from the load section alone: only for a load without `bodyFile` and `data` (files are not read here)
   */
  scenario?: Scenario;
}

/** The steps of a step plan, all at `rate`: load for each step's load duration, idle for the rest. */
export function k6StepsFromPlan(plan: StepPlan, rate: number): K6Step[] {
  return plan.steps.map((s) => ({
    rate,
    loadMs: Math.min(s.loadDurationMs, s.durationMs),
    idleMs: Math.max(0, s.durationMs - s.loadDurationMs),
  }));
}

/** The default URL: the load's own, or the local mesh's listener when its port is fixed. */
function defaultUrl(spec: Experiment['spec']): string | null {
  if (spec.load.url !== undefined) return spec.load.url;
  // spec.local is there only with the local mesh (the spec rules), whose listener the load then goes to.
  const listen = spec.local?.listen;
  if (listen === undefined || /:0$/.test(listen)) return null;
  return `http://${listen}${spec.load.path}`;
}

/**
 * A value as JavaScript source. JSON is valid JavaScript, and escaping U+2028/U+2029 too keeps
 * the text one line, so it is safe in a string, an object literal and a `//` comment alike.
 */
function literal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The scenario of `load` without reading files: possible only when it names none. */
function scenarioWithoutFiles(load: Experiment['spec']['load']): Scenario {
  if (load.data !== undefined || load.requests?.some((r) => r.bodyFile !== undefined)) {
    throw new Error('generateK6Script: load.data and bodyFile need the checked scenario (options.scenario)');
  }
  return { requests: resolveRequests(load, new Map()).requests, seed: load.seed, scripted: load.requests !== undefined };
}

/**
 * The SPEC fields of the requests: each with its headers (and the Host over them, as the
 * runner sends it) and its path, or null where the request goes to the target URL as it is:
 * an unscripted load, or, with load.url, a request without a path of its own (as the runner's
 * picker does).
 */
function requestsSpec(spec: Experiment['spec'], scenario: Scenario, host: string | undefined) {
  const { load } = spec;
  const toTarget = (i: number) => !scenario.scripted || (spec.local === undefined && load.url !== undefined && load.requests?.[i]?.path === undefined);
  return scenario.requests.map((r, i) => ({
    name: r.name,
    method: r.method,
    path: toTarget(i) ? null : r.path,
    headers: host === undefined ? r.headers : { ...r.headers, Host: host },
    body: r.body ?? null,
    weight: r.weight,
  }));
}

/** Name of the SharedArray holding the data rows. */
const ROWS_ARRAY = 'mesh_exp_rows';

/** Generates the script text. Throws a UsageError when an SLO cannot be written as a k6 threshold. */
export function generateK6Script(experiment: Experiment, options: K6ScriptOptions = {}): string {
  const { spec, metadata } = experiment;
  const { load, target } = spec;
  const loadRate = loadRateOf(load);
  const { profile } = loadRate;
  // With stages, the rate MESH_EXP_RATE overrides (and scales) is the profile's peak.
  const rate = peakRateOf(loadRate);
  const steps = options.steps ?? k6StepsFromPlan(planSteps(experiment), rate);
  if (steps.length === 0) throw new RangeError('a k6 script needs at least one step');
  const { thresholds, skipped } = k6Thresholds({ slos: spec.slos, target });
  const scenario = options.scenario ?? scenarioWithoutFiles(load);
  // As the runner sends it: the mesh routes by Host, which defaults to the target host locally.
  const host = load.host ?? (spec.local !== undefined ? target.host : undefined);
  const config = {
    experiment: metadata.name,
    target: options.url ?? defaultUrl(spec),
    requests: requestsSpec(spec, scenario, host),
    tagRequests: scenario.scripted,
    data: scenario.data ? { file: scenario.data.file, order: scenario.data.order, columns: scenario.data.columns } : null,
    seed: scenario.seed,
    placeholder: PLACEHOLDER_SOURCE,
    rate,
    profile: profile ?? null,
    timeoutMs: load.timeout,
    maxInFlight: load.maxInFlight,
    versionHeader: canonicalHeaderKey(load.versionHeader),
    steps,
    scenario: 'mesh_exp',
    thresholds,
    tags: { experiment: metadata.name },
    names: {
      latency: LATENCY_METRIC,
      errors: ERRORS_METRIC,
      failed: FAILED_METRIC,
      versionTag: VERSION_TAG,
      statusTag: STATUS_TAG,
      requestTag: REQUEST_TAG,
      errorCodeTag: ERROR_CODE_TAG,
      unknownVersion: UNKNOWN_VERSION,
    },
  };
  const header = [
    `// k6 script generated by mesh-exp ${VERSION} (mesh-exp export-k6) from experiment ${literal(metadata.name)}.`,
    '// Run it standalone with `k6 run <file>`; the environment overrides the experiment:',
    '//   MESH_EXP_TARGET   URL to request (named requests with a path go to its origin + their path)',
    profile
      ? '//   MESH_EXP_RATE     peak requests per second (scales every stage alike)'
      : '//   MESH_EXP_RATE     requests per second (scales every step)',
    profile
      ? '//   MESH_EXP_DURATION one load window of this k6 duration (e.g. "30s") instead of the steps: the stages, the last rate held to its end'
      : '//   MESH_EXP_DURATION one constant-rate run of this k6 duration (e.g. "30s") instead of the steps',
    '//   MESH_EXP_ITERATION_OFFSET the number of the first iteration (request and row choices continue from it)',
    `// Per serving version: ${LATENCY_METRIC}{${VERSION_TAG}:...} (ms) and ${FAILED_METRIC}{${VERSION_TAG}:...}; thresholds are the SLOs.`,
    ...(scenario.scripted ? [`// Per request: the same metrics tagged ${REQUEST_TAG}:<name>; requests and rows are chosen by iteration number, seeded by ${scenario.seed}.`] : []),
    ...skipped.map((s) => `// No k6 threshold for SLO ${literal(s)}`),
  ];
  return [
    ...header,
    "import http from 'k6/http';",
    "import { Trend, Counter, Rate } from 'k6/metrics';",
    "import exec from 'k6/execution';",
    ...(scenario.data ? ["import { SharedArray } from 'k6/data';"] : []),
    '',
    `const SPEC = ${literal(config, 2)};`,
    // Up to 100,000 rows, on one line: built once and shared by every VU (k6's SharedArray), not
    // one copy per VU's JavaScript runtime.
    scenario.data
      ? `const ROWS = new SharedArray(${literal(ROWS_ARRAY)}, () => ${literal(scenario.data.rows.map((r) => r.values))});`
      : 'const ROWS = [];',
    K6_SCRIPT_BODY,
    K6_REQUESTS_BODY,
  ].join('\n');
}
