/**
 * Metric sources by name. Adding one = a folder with its factory plus one `register` line in
 * {@link createDefaultMetricSourceRegistry}.
 */
import { UsageError } from '../errors.js';
import { createPrometheusSource, type PrometheusSourceOptions } from './prometheus/prometheus-source.js';
import type { MetricSource } from './types.js';

/** Makes a source from its spec section. */
export type MetricSourceFactory = (options: PrometheusSourceOptions) => MetricSource;

/** Sources by name. */
export interface MetricSourceRegistry {
  /** Adds a source; a name given twice is a programming error. */
  register(name: string, factory: MetricSourceFactory): void;
  /** Creates the source `name`; a UsageError listing the known names when there is none. */
  create(name: string, options: PrometheusSourceOptions): MetricSource;
  /** Registered names, sorted. */
  names(): string[];
}

/** Creates an empty registry. */
export function createMetricSourceRegistry(): MetricSourceRegistry {
  const factories = new Map<string, MetricSourceFactory>();
  const names = () => [...factories.keys()].sort();
  return {
    register(name, factory) {
      if (factories.has(name)) throw new Error(`metric source "${name}" is already registered`);
      factories.set(name, factory);
    },
    create(name, options) {
      const factory = factories.get(name);
      if (!factory) throw new UsageError(`unknown metric source "${name}"`, { hint: `known sources: ${names().join(', ')}` });
      return factory(options);
    },
    names,
  };
}

/** The sources mesh-exp ships: "prometheus". */
export function createDefaultMetricSourceRegistry(): MetricSourceRegistry {
  const registry = createMetricSourceRegistry();
  registry.register('prometheus', createPrometheusSource);
  return registry;
}
