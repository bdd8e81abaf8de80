/**
 * The game-day file's front door: the file itself against its schema, then every experiment it
 * names or holds, each checked exactly as `run` would check it (experiment-file checks, the mesh's
 * and the engine's), with the game day's defaults filled in. Every problem of every experiment is
 * reported at once: an experiment file's problems at its own file:line, an inline experiment's and
 * a default's at the game-day file's lines.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { ValidationError, type Problem } from '../errors.js';
import { problemsFromIssues } from '../input/issues.js';
import { parseYamlDocument, readYamlText, type YamlSource } from '../input/load-yaml.js';
import { formatPath } from '../input/locate.js';
import { dataAt, PARSE_ONCE } from '../input/schema-walk.js';
import { createGameDayFill, withoutRepeats } from './gameday-fill.js';
import { gameDaySchema, MAX_GAMEDAY_EXPERIMENTS, type GameDay } from './gameday-schema.js';
import { checkExperimentFile, checkExperimentSource, locateRule, type ExperimentCheck, type LoadedExperiment, type LoadExperimentOptions } from './validate.js';

/** One experiment of a game day, ready to run. */
export interface LoadedGameDayExperiment {
  /** 0-based place in the day. */
  index: number;
  /** How reports name it: the experiment file as written, or "inline". */
  source: string;
  /** Whether the day goes on when it does not pass. */
  continueOnFailure: boolean;
  /** The experiment, defaults filled in. */
  loaded: LoadedExperiment;
}

/** A game day ready to run. */
export interface LoadedGameDay {
  /** The parsed game day. */
  gameDay: GameDay;
  /** Absolute path of the game-day file. */
  file: string;
  /** Its experiments, in order. */
  experiments: LoadedGameDayExperiment[];
}

/** Outcome of checking a game-day file: the game day when it is valid, and every problem found. */
export interface GameDayCheck {
  /** Absolute path of the file. */
  file: string;
  /** Set only when there are no problems. */
  gameDay?: LoadedGameDay;
  /** Every problem: the game-day file's, then each experiment's in order. */
  problems: Problem[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks one entry as written (the schema may have refused other parts of the file). */
async function checkEntry(source: YamlSource, index: number, raw: Record<string, unknown>, options: LoadExperimentOptions) {
  const gameDayDir = path.dirname(source.file);
  const entryPath = ['spec', 'experiments', index];
  if (typeof raw.path === 'string' && raw.experiment === undefined && raw.path !== '') {
    // Relative to the game-day file, kept relative to the working directory for problems.
    const file = path.isAbsolute(raw.path) ? raw.path : path.join(gameDayDir, raw.path);
    const fill = createGameDayFill({ gameDay: source, label: `${formatPath(entryPath)}, ${raw.path}`, experimentFile: file });
    return { source: raw.path, check: await checkExperimentFile(file, { ...options, fill }) };
  }
  if (isMap(raw.experiment) && raw.path === undefined) {
    const base = [...entryPath, 'experiment'];
    const fill = createGameDayFill({ gameDay: source, label: formatPath(base), experimentFile: source.file, inline: { base } });
    const origin = { file: source.file, abs: path.resolve(options.cwd, source.file), text: stringify(raw.experiment) };
    return { source: 'inline', check: await checkExperimentSource({ ...source, data: raw.experiment, base }, origin, { ...options, fill }) };
  }
  // Neither or both: the schema said so already.
  return undefined;
}

/**
 * Checks a game-day file completely without throwing for user mistakes (a missing file, or one
 * its experiments name, is a problem too). Experiments are checked one at a time, in order.
 * @param file the path as the user gave it (kept in problems), resolved against `options.cwd`
 */
export async function checkGameDayFile(file: string, options: LoadExperimentOptions): Promise<GameDayCheck> {
  const abs = path.resolve(options.cwd, file);
  const read = await readYamlText(abs, file, options);
  if (read.text === undefined) return { file: abs, problems: read.problems };
  const parsed = parseYamlDocument(read.text, file, options);
  const source = parsed.source;
  if (!source) return { file: abs, problems: parsed.problems };
  const result = gameDaySchema.safeParse(source.data, PARSE_ONCE);
  const problems = result.success ? [] : problemsFromIssues(result.error.issues, { ...source, schema: gameDaySchema });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  // The verdict is one of two forms: say which, where the union's message cannot.
  for (const p of problems) if (p.path === 'spec.verdict' && p.message.startsWith('does not match')) p.hint = 'write "verdict: allPass", or "verdict: { maxFailures: 1 }"';
  // The day's own webhooks, checked as an experiment's are (run's preflight reads them too).
  if (result.success && options.notifyCheck && result.data.spec.notify?.length) {
    const found = await options.notifyCheck(result.data.spec.notify, path.dirname(abs));
    problems.push(...found.map((p) => locateRule(source, p)));
  }
  const entries = dataAt(source.data, ['spec', 'experiments']);
  const checked: { source: string; check: ExperimentCheck }[] = [];
  // More entries than a day may hold are refused by the schema: they are not each read and checked.
  const checkable = Array.isArray(entries) && entries.length <= MAX_GAMEDAY_EXPERIMENTS ? entries : [];
  for (const [index, raw] of checkable.entries()) {
    if (!isMap(raw)) continue;
    const one = await checkEntry(source, index, raw, options);
    if (one) {
      checked.push(one);
      problems.push(...one.check.problems);
    }
  }
  const all = withoutRepeats(problems);
  if (!result.success || all.length > 0) return { file: abs, problems: all };
  const experiments = result.data.spec.experiments.map((entry, index): LoadedGameDayExperiment => {
    const { source: shown, check } = checked[index]!;
    const loaded: LoadedExperiment = { experiment: check.experiment!, file: check.file, dir: path.dirname(check.file) };
    if (check.manifests) loaded.manifests = check.manifests;
    if (check.source !== undefined) loaded.source = check.source;
    if (check.scenario) loaded.scenario = check.scenario;
    return { index, source: shown, continueOnFailure: entry.continueOnFailure, loaded };
  });
  return { file: abs, problems: [], gameDay: { gameDay: result.data, file: abs, experiments } };
}

/**
 * Loads a game-day file for running.
 * @throws ValidationError listing every problem of the file and of its experiments, when there is any
 */
export async function loadGameDayFile(file: string, options: LoadExperimentOptions): Promise<LoadedGameDay> {
  const check = await checkGameDayFile(file, options);
  if (!check.gameDay) {
    throw new ValidationError(check.problems, { hint: `fix the problems above; "mesh-exp validate ${file}" checks the game day and its experiments without running them` });
  }
  return check.gameDay;
}
