/**
 * Distributed-load builders by generator name (the shared registry rules of `src/registry.ts`):
 * "vegeta" → an indexed Job, "k6" → a k6-operator TestRun.
 */
import { createRegistry, type Registry } from '../../registry.js';
import { createK6TestRunBuilder } from './k6-testrun.js';
import type { DistributedBuilder } from './types.js';
import { createVegetaJobBuilder } from './vegeta-job.js';

/** Builders by generator. */
export type DistributedRegistry = Registry<() => DistributedBuilder>;

/** A registry holding the builders mesh-exp ships: "vegeta", "k6". */
export function createDefaultDistributedRegistry(): DistributedRegistry {
  const registry = createRegistry<() => DistributedBuilder>({ kind: 'distributed load generator', plural: 'generators' });
  registry.register('vegeta', createVegetaJobBuilder);
  registry.register('k6', createK6TestRunBuilder);
  return registry;
}
