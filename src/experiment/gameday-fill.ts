/**
 * A game day's shared defaults, applied to one experiment: the fields the experiment leaves out
 * (spec.load, spec.metrics, spec.target.namespace) are filled from the game day's `spec.defaults`
 * as written, before the experiment is checked, so it is checked exactly as it will run. A field
 * the experiment sets is kept whole: no field-by-field merge, so what runs is what one file says.
 *
 * A problem found under a filled field is moved to where the default was written (the game-day
 * file's line), naming the experiment it was applied to. An inline experiment also gets
 * apiVersion and kind, which it may leave out.
 */
import type { Problem } from '../errors.js';
import { formatPath, parsePath, positionOf, type PathSegment } from '../input/locate.js';
import type { YamlSource } from '../input/load-yaml.js';
import type { ExperimentFill } from './validate.js';

/** The experiment fields defaults may fill: the experiment's path and the default's path in the game day. */
const FILLABLE: readonly { at: readonly string[]; from: string }[] = [
  { at: ['spec', 'load'], from: 'load' },
  { at: ['spec', 'metrics'], from: 'metrics' },
  { at: ['spec', 'target', 'namespace'], from: 'namespace' },
];

/** Path of the defaults in a game-day file. */
const DEFAULTS_PATH = ['spec', 'defaults'] as const;

/** Words ending a moved problem's message (left out when repeats are compared). */
const APPLIED = (label: string) => ` (applied to ${label})`;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Options of {@link createGameDayFill}. */
export interface GameDayFillOptions {
  /** The parsed game-day file (its data holds the defaults as written). */
  gameDay: YamlSource;
  /** How problems name the experiment, e.g. `experiments[0] (canary.yaml)`. */
  label: string;
  /** The file the experiment's problems carry before they are moved (as the user named it). */
  experimentFile: string;
  /** An inline experiment: apiVersion and kind are filled too, and its paths are prefixed with `base`. */
  inline?: { base: readonly PathSegment[] };
}

/** The fill of one experiment of a game day. */
export function createGameDayFill(options: GameDayFillOptions): ExperimentFill {
  const defaults = isMap(options.gameDay.data) && isMap(options.gameDay.data.spec) ? options.gameDay.data.spec.defaults : undefined;
  const filled = new Set<string>();
  return {
    apply(data) {
      if (!isMap(data)) return data;
      const copy = structuredClone(data);
      if (options.inline) {
        copy.apiVersion ??= 'mesh-exp.dev/v1alpha1';
        copy.kind ??= 'Experiment';
      }
      if (!isMap(defaults) || !isMap(copy.spec)) return copy;
      for (const field of FILLABLE) {
        const value = defaults[field.from];
        if (value === undefined) continue;
        const parent = field.at.slice(0, -1).reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), copy);
        const key = field.at.at(-1)!;
        if (!isMap(parent) || parent[key] !== undefined) continue;
        parent[key] = structuredClone(value);
        filled.add(field.from);
      }
      return copy;
    },
    relocate(problem) {
      if (problem.file !== options.experimentFile) return problem;
      const path = parsePath(problem.path);
      const field = path && FILLABLE.find((f) => filled.has(f.from) && f.at.every((seg, i) => path[i] === seg));
      if (path && field) {
        const at = [...DEFAULTS_PATH, field.from, ...path.slice(field.at.length)];
        return { ...problem, file: options.gameDay.file, ...positionOf(options.gameDay, at), path: formatPath(at), message: `${problem.message}${APPLIED(options.label)}` };
      }
      if (!options.inline) return problem;
      const prefixed = formatPath([...options.inline.base, ...(path ?? [])]);
      return { ...problem, path: path ? prefixed : `${formatPath(options.inline.base)}${problem.path ? `.${problem.path}` : ''}` };
    },
  };
}

// A default's mistake is found once by the game day's own schema and once more in every
// experiment it fills: it is printed once.
function problemKey(p: Problem): string {
  return JSON.stringify([p.file, p.line, p.col, p.path, p.message.replace(/ \(applied to .*\)$/, '')]);
}

/** The problems without repeats (the same message at the same place), the first of each kept. */
export function withoutRepeats(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = problemKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
