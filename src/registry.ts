/**
 * The one registry shape every extension point uses (traffic providers, load generators, metric
 * sources, reporters, SLO evaluators): values by name, with one set of rules. A name registered
 * twice is a programming error and throws; an unknown name is the user's mistake (a name in the
 * experiment file or on the command line) and throws a UsageError (exit 2) with a "did you mean"
 * hint, or the list of known names when nothing is close.
 */
import { UsageError } from './errors.js';
// did-you-mean imports nothing, so the registry stays importable from every layer above input/.
import { suggestionHint } from './input/did-you-mean.js';

/** What a registry is told about the things it holds, for its messages. */
export interface RegistryOptions {
  /** What one entry is, in the messages: e.g. "traffic provider" → `unknown traffic provider "x"`. */
  kind: string;
  /** The plural used in the hint's list of known names, e.g. "providers". @default `${kind}s` */
  plural?: string;
}

/** Values by name. Names keep their registration order everywhere (help, hints, `names()`). */
export interface Registry<T> {
  /** What one entry is (from the options), e.g. "traffic provider". */
  readonly kind: string;
  /** Adds `value` under `name`; throws when the name is taken (a programming error, not a user one). */
  register(name: string, value: T): void;
  /** The value registered as `name`; a UsageError (exit 2) with a "did you mean" hint when there is none. */
  get(name: string): T;
  /** The value registered as `name`, or undefined (for callers with their own fallback). */
  find(name: string): T | undefined;
  /** Whether `name` is registered. */
  has(name: string): boolean;
  /** Registered names, in registration order. */
  names(): string[];
  /** Registered values, in registration order. */
  values(): T[];
}

/** Creates an empty registry of `kind`. */
export function createRegistry<T>(options: RegistryOptions): Registry<T> {
  const { kind } = options;
  const plural = options.plural ?? `${kind}s`;
  // A Map keeps insertion order, which is the order names are listed in.
  const entries = new Map<string, T>();
  const names = () => [...entries.keys()];
  return {
    kind,
    register(name, value) {
      // Invariant: registrations are code, not input; two under one name is a bug to fix, not to report.
      if (entries.has(name)) throw new Error(`${kind} "${name}" is already registered`);
      entries.set(name, value);
    },
    get(name) {
      if (entries.has(name)) return entries.get(name)!;
      const hint = suggestionHint(name, names(), `known ${plural}`) ?? `no ${kind} is registered`;
      throw new UsageError(`unknown ${kind} "${name}"`, { hint });
    },
    find: (name) => entries.get(name),
    has: (name) => entries.has(name),
    names,
    values: () => [...entries.values()],
  };
}
