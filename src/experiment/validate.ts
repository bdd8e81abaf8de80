/**
 * The experiment file's front door: read safely, check against the schema, apply the cross-field
 * rules and (provider local) the manifest rules, and report EVERY problem at once, each located
 * as `file:line:col path: message` with a hint where one helps.
 */
import path from 'node:path';
import { ValidationError, type Problem } from '../errors.js';
import { readManifests, type ManifestOrigin, type ManifestSet } from '../istio/manifests.js';
import { problemsFromIssues } from '../input/issues.js';
import { parseYamlDocument, readYamlText, type YamlSafetyOptions, type YamlSource } from '../input/load-yaml.js';
import { formatPath, positionOf } from '../input/locate.js';
import { checkLoadScript } from './load-script-check.js';
import { checkManifestRules } from './manifest-rules.js';
import type { NotifyTargetSpec } from './notify-schema.js';
import type { RuleInput, RuleProblem } from './rule-types.js';
import { checkRules, ruleInputFromData, ruleInputFromSpec } from './rules.js';
import { experimentSchema, type Experiment } from './schema.js';
import { checkScenario } from './scenario-check.js';
import type { Scenario } from './scenario.js';
import { PARSE_ONCE } from '../input/schema-walk.js';

/** An experiment ready to run. */
export interface LoadedExperiment {
  /** The parsed, defaulted experiment (durations in ms, percentages as fractions). */
  experiment: Experiment;
  /** Absolute path of the experiment file. */
  file: string;
  /** Absolute directory of the experiment file (relative paths inside it resolve against this). */
  dir: string;
  /** The Istio objects of `spec.local.manifests` (provider local only). */
  manifests?: ManifestSet;
  /** The file's text as the user wrote it (the report shows it as the experiment run). */
  source?: string;
  /** The load's requests and data rows, resolved and checked (what every load engine sends). */
  scenario?: Scenario;
}

/** What a {@link MeshCheck} is given: a valid provider-local experiment and its manifests. */
export interface MeshCheckInput {
  /** The experiment (valid: every other check passed). */
  experiment: Experiment;
  /** The objects of `spec.local.manifests`. */
  manifests: ManifestSet;
  /** Where each object was read. */
  origins: ReadonlyMap<object, ManifestOrigin>;
}

/**
 * The run's own checks of a provider-local experiment (the local mesh's compile of the manifests
 * and of each planned step: `runner/serving-check.ts`), passed in by the CLI because the mesh and
 * the providers sit above this layer, so that `validate` refuses exactly what `run` would (issue
 * 18: one code path for refusal). Returns the errors, located.
 */
export type MeshCheck = (input: MeshCheckInput) => Problem[];

/**
 * Whether the load engine the experiment names can run on this machine (the preflight `run` does:
 * an external engine installed, k6's script writable), passed in by the CLI because the engines
 * sit above this layer. Resolves with what is wrong, reported at `spec.load.generator`, or undefined.
 */
export type EngineCheck = (experiment: Experiment, dir: string, scenario?: Scenario) => Promise<{ message: string; hint?: string } | undefined>;

/**
 * Whether the secrets of `spec.notify` can be read (the environment variable is set, the file
 * readable, either holding an http(s) URL): the run's own preflight check, passed in by the CLI
 * because notifications sit above this layer, so that `validate` refuses what `run` would.
 * Resolves with the problems, at `spec.notify[i].urlFrom`; never with the URL.
 */
export type NotifyCheck = (targets: readonly NotifyTargetSpec[], dir: string) => Promise<RuleProblem[]>;

/** Options of {@link loadExperimentFile} and {@link checkExperimentFile}. */
export interface LoadExperimentOptions extends YamlSafetyOptions {
  /** Directory a relative `file` is resolved against. */
  cwd: string;
  /** The mesh's check of the manifests (provider local), run once every other check passed. @default none */
  meshCheck?: MeshCheck;
  /** The engine's preflight, run once every other check passed (validate; run preflights itself). @default none */
  engineCheck?: EngineCheck;
  /** The notification targets' secrets, checked once the file is otherwise valid (validate, run). @default none */
  notifyCheck?: NotifyCheck;
  /** Fields filled in before the check where the document leaves them out (a game day's defaults). @default none */
  fill?: ExperimentFill;
}

/**
 * What a game day fills in an experiment that leaves it out (its shared defaults): applied to the
 * document's data before the schema sees it, so the experiment is checked as it will run.
 */
export interface ExperimentFill {
  /** The data with the missing fields filled in (a copy: the document's own data stays as written). */
  apply(data: unknown): unknown;
  /** A problem found under a filled field, moved to where that field was written (the game-day file). */
  relocate(problem: Problem): Problem;
}

/** Where an already parsed experiment came from: the file named in problems, its absolute path and its text. */
export interface ExperimentOrigin {
  /** The file as the user named it (kept in problems; relative paths inside resolve against its directory). */
  file: string;
  /** Absolute path of that file. */
  abs: string;
  /** The experiment's text as written (the report shows it). */
  text: string;
}

/** Outcome of checking one file: the experiment when it is valid, and every problem found. */
export interface ExperimentCheck {
  /** Absolute path of the file. */
  file: string;
  /** Set only when there are no problems. */
  experiment?: Experiment;
  /** The manifests, when they were read (provider local). */
  manifests?: ManifestSet;
  /** The file's text, set with `experiment`. */
  source?: string;
  /** The load's requests and data rows, set with `experiment`. */
  scenario?: Scenario;
  /** Every problem: the experiment file's first (by line), then the manifests' (by file, line). */
  problems: Problem[];
}

interface Analysis {
  experiment?: Experiment;
  problems: Problem[];
  source?: YamlSource;
  rules?: RuleInput;
}

/** A rule's problem at its file:line:col (the path is relative to the document, or to `source.base`). */
export function locateRule(source: YamlSource, p: RuleProblem): Problem {
  return {
    file: source.file,
    ...positionOf(source, p.path, p.pointAt ?? 'value'),
    path: formatPath(p.path),
    message: p.message,
    ...(p.hint ? { hint: p.hint } : {}),
  };
}

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0);
}

function analyze(parsed: YamlSource, fill?: ExperimentFill): Analysis {
  const source = fill ? { ...parsed, data: fill.apply(parsed.data) } : parsed;
  const result = experimentSchema.safeParse(source.data, PARSE_ONCE);
  const problems = result.success ? [] : problemsFromIssues(result.error.issues, { ...source, schema: experimentSchema });
  const rules: RuleInput = result.success ? ruleInputFromSpec(result.data.spec, source.data) : ruleInputFromData(source.data);
  problems.push(...checkRules(rules).map((p) => locateRule(source, p)));
  problems.sort(byPosition);
  return { problems, source, rules, ...(result.success && problems.length === 0 ? { experiment: result.data } : {}) };
}

/**
 * Checks experiment text against the schema and the rules that need no other file.
 * @param file the name used in problems (as the user named it)
 */
export function validateExperimentText(
  text: string,
  file: string,
  options: YamlSafetyOptions = {},
): { experiment?: Experiment; problems: Problem[] } {
  const parsed = parseYamlDocument(text, file, options);
  if (!parsed.source) return { problems: parsed.problems };
  const { experiment, problems } = analyze(parsed.source);
  return experiment ? { experiment, problems } : { problems };
}

/** Reads the manifests of a provider-local experiment and checks the experiment against them. */
async function checkManifests(analysis: Analysis, file: string, absFile: string, options: LoadExperimentOptions) {
  const { rules, source } = analysis;
  const target = rules?.valid.has('target') ? rules.spec.target : undefined;
  const local = rules?.valid.has('local') ? rules.spec.local : undefined;
  if (!rules || !source || !target || !local?.manifests || target.provider !== 'local') return undefined;
  const read = await readManifests(local.manifests, path.dirname(absFile), { ...options, displayDir: path.dirname(file) });
  const here: Problem[] = read.unreadable.map((u) =>
    locateRule(source, { path: ['spec', 'local', 'manifests', u.index], message: u.message, ...(u.hint ? { hint: u.hint } : {}) }),
  );
  // Rules on half-read manifests would only add "not found" echoes of the problems above.
  if (here.length === 0 && read.problems.length === 0) {
    const traffic = rules.valid.has('traffic') ? rules.spec.traffic : undefined;
    const input = { target, local, manifests: read.set, origins: read.origins, ...(traffic ? { traffic } : {}) };
    here.push(...checkManifestRules(input).map((p) => locateRule(source, p)));
  }
  const there = [...read.problems];
  // The mesh's compile last: on objects the schema and the rules accepted, so it adds no echoes.
  if (here.length === 0 && there.length === 0 && analysis.experiment && options.meshCheck) {
    there.push(...options.meshCheck({ experiment: analysis.experiment, manifests: read.set, origins: read.origins }));
  }
  return { manifests: read.set, here, there };
}

/** Reads and checks the load's body and data files and placeholders, once `load` parsed. */
async function checkScenarioFiles(analysis: Analysis, file: string, absFile: string) {
  const { rules, source } = analysis;
  const load = rules?.valid.has('load') ? rules.spec.load : undefined;
  if (!source || !load) return undefined;
  const check = await checkScenario(load, { dir: path.dirname(absFile), displayDir: path.dirname(file) });
  return { scenario: check.scenario, here: check.here.map((p) => locateRule(source, p)), there: check.there };
}

/**
 * Checks an experiment file completely (schema, rules, manifests) without throwing for user
 * mistakes: a missing file is a problem too. Used by `mesh-exp validate` to report many files.
 * @param file the path as the user gave it (kept in problems), resolved against `options.cwd`
 */
export async function checkExperimentFile(file: string, options: LoadExperimentOptions): Promise<ExperimentCheck> {
  const abs = path.resolve(options.cwd, file);
  const read = await readYamlText(abs, file, options);
  if (read.text === undefined) return { file: abs, problems: read.problems };
  const parsed = parseYamlDocument(read.text, file, options);
  if (!parsed.source) return { file: abs, problems: parsed.problems };
  return checkExperimentSource(parsed.source, { file, abs, text: read.text }, options);
}

/**
 * {@link checkExperimentFile} on an experiment already parsed: a game day's inline entry, a node
 * of the game-day file (`source.base` says where, so problems point at the game-day file's lines).
 */
export async function checkExperimentSource(parsed: YamlSource, origin: ExperimentOrigin, options: LoadExperimentOptions): Promise<ExperimentCheck> {
  const { file, abs } = origin;
  const analysis = analyze(parsed, options.fill);
  const manifests = await checkManifests(analysis, file, abs, options);
  const script = analysis.rules && analysis.source ? await checkLoadScript(analysis.rules, path.dirname(abs), path.dirname(file)) : [];
  const located = script.map((p) => locateRule(analysis.source!, p));
  const scenario = await checkScenarioFiles(analysis, file, abs);
  const problems = [...analysis.problems, ...(manifests?.here ?? []), ...located, ...(scenario?.here ?? [])].sort(byPosition);
  problems.push(...(scenario?.there ?? []), ...(manifests?.there ?? []));
  const check: ExperimentCheck = { file: abs, problems };
  if (manifests) check.manifests = manifests.manifests;
  const engine = analysis.experiment && problems.length === 0 && options.engineCheck ? await options.engineCheck(analysis.experiment, path.dirname(abs), scenario?.scenario) : undefined;
  if (engine) problems.push(locateRule(analysis.source!, { path: ['spec', 'load', 'generator'], ...engine }));
  // Independent of the files and the engine: reported beside their problems, all at once.
  if (analysis.experiment && options.notifyCheck) problems.push(...(await options.notifyCheck(analysis.experiment.spec.notify ?? [], path.dirname(abs))).map((p) => locateRule(analysis.source!, p)));
  if (options.fill) check.problems = problems.map((p) => options.fill!.relocate(p));
  if (analysis.experiment && problems.length === 0) {
    check.experiment = analysis.experiment;
    check.source = origin.text;
    if (scenario?.scenario) check.scenario = scenario.scenario;
  }
  return check;
}

/**
 * Loads an experiment file for running.
 * @throws ValidationError listing every problem found (sorted by line), when there is any
 */
export async function loadExperimentFile(file: string, options: LoadExperimentOptions): Promise<LoadedExperiment> {
  const check = await checkExperimentFile(file, options);
  if (!check.experiment) {
    throw new ValidationError(check.problems, { hint: `fix the problems above; "mesh-exp validate ${file}" checks the file without running it` });
  }
  const loaded: LoadedExperiment = { experiment: check.experiment, file: check.file, dir: path.dirname(check.file) };
  if (check.manifests) loaded.manifests = check.manifests;
  if (check.source !== undefined) loaded.source = check.source;
  if (check.scenario) loaded.scenario = check.scenario;
  return loaded;
}
