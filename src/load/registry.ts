/**
 * The load-generator registry (Flagger style): implementations register a factory under a name,
 * the runner looks the spec's `load.generator` up by that name.
 */
import type { Clock, Logger } from '../context.js';
import { createRegistry, type Registry } from '../registry.js';
import type { Scenario } from '../experiment/scenario.js';
import type { Experiment } from '../experiment/schema.js';
import { createBuiltinGenerator } from './builtin/builtin-generator.js';
import { createK6Generator } from './k6/k6-generator.js';
import type { LoadGenerator } from './types.js';
import { createVegetaGenerator } from './vegeta/vegeta-generator.js';

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
  /** Process groups of the run (the context's); an external generator tracks its children's in it. @default none */
  processGroups?: Set<number>;
  /** The experiment being run, its directory and its checked scenario (a scripted engine, k6, takes its script from them). @default none */
  experiment?: { experiment: Experiment; dir: string; scenario?: Scenario };
  /** The run directory, created on first call (where an engine writes the files it runs). @default none */
  runDir?: () => Promise<string>;
}

/** Makes a generator; called once per run. */
export type LoadGeneratorFactory = (options: LoadGeneratorFactoryOptions) => LoadGenerator;

/** Generators by name (the shared registry rules of `src/registry.ts`), plus `create`. */
export interface LoadGeneratorRegistry extends Registry<LoadGeneratorFactory> {
  /** Shorthand for `get(name)(options)`. */
  create(name: string, options?: LoadGeneratorFactoryOptions): LoadGenerator;
}

/** Creates an empty registry. */
export function createLoadGeneratorRegistry(): LoadGeneratorRegistry {
  const registry = createRegistry<LoadGeneratorFactory>({ kind: 'load generator', plural: 'generators' });
  return { ...registry, create: (name, options = {}) => registry.get(name)(options) };
}

/** A registry holding the generators mesh-exp ships: "builtin", "vegeta", "k6" (the k6 the user installed). */
export function createDefaultLoadGeneratorRegistry(): LoadGeneratorRegistry {
  const registry = createLoadGeneratorRegistry();
  registry.register('builtin', (options) =>
    createBuiltinGenerator(options.clock === undefined ? {} : { clock: options.clock }),
  );
  registry.register('vegeta', (options) =>
    createVegetaGenerator({ env: options.env ?? {}, ...(options.processGroups ? { processGroups: options.processGroups } : {}) }),
  );
  registry.register('k6', (options) => createK6Generator(options));
  return registry;
}
