/**
 * The load-generator registry (Flagger style): implementations register a factory under a name,
 * the runner looks the spec's `load.generator` up by that name.
 */
import type { Clock, Logger } from '../context.js';
import { UsageError } from '../errors.js';
import { createBuiltinGenerator } from './builtin/builtin-generator.js';
import type { LoadGenerator } from './types.js';

/**
 * What a factory may use from the outside world. A `Context` satisfies it, so the runner can
 * pass its own.
 */
export interface LoadGeneratorFactoryOptions {
  /** Time source for schedules and sample timestamps. @default the system clock */
  clock?: Clock;
  /** Environment (e.g. to find an external binary on PATH). @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Working directory relative paths resolve against. @default "." */
  cwd?: string;
  /** Where progress and diagnostics go. @default nothing is logged */
  logger?: Logger;
}

/** Makes a generator; called once per run. */
export type LoadGeneratorFactory = (options: LoadGeneratorFactoryOptions) => LoadGenerator;

/** Generators by name. */
export interface LoadGeneratorRegistry {
  /** Adds a generator; throws when the name is taken (a programming error, not a user one). */
  register(name: string, factory: LoadGeneratorFactory): void;
  /** The factory registered as `name`; throws a UsageError listing the known names when there is none. */
  get(name: string): LoadGeneratorFactory;
  /** Shorthand for `get(name)(options)`. */
  create(name: string, options?: LoadGeneratorFactoryOptions): LoadGenerator;
  /** Whether `name` is registered. */
  has(name: string): boolean;
  /** Registered names, sorted. */
  names(): string[];
}

/** Creates an empty registry. */
export function createLoadGeneratorRegistry(): LoadGeneratorRegistry {
  const factories = new Map<string, LoadGeneratorFactory>();
  const names = () => [...factories.keys()].sort();

  function get(name: string): LoadGeneratorFactory {
    const factory = factories.get(name);
    if (factory === undefined) {
      const known = names();
      throw new UsageError(`unknown load generator "${name}"`, {
        hint: known.length > 0 ? `known generators: ${known.join(', ')}` : 'no load generator is registered',
      });
    }
    return factory;
  }

  return {
    register(name, factory) {
      if (factories.has(name)) throw new Error(`load generator "${name}" is already registered`);
      factories.set(name, factory);
    },
    get,
    create: (name, options = {}) => get(name)(options),
    has: (name) => factories.has(name),
    names,
  };
}

/** A registry holding the generators mesh-exp ships: "builtin". */
export function createDefaultLoadGeneratorRegistry(): LoadGeneratorRegistry {
  const registry = createLoadGeneratorRegistry();
  registry.register('builtin', (options) =>
    createBuiltinGenerator(options.clock === undefined ? {} : { clock: options.clock }),
  );
  return registry;
}
